#ifndef scalebridge_microstructure_phase_map_h
#define scalebridge_microstructure_phase_map_h

#include <scalebridge/microstructure/microstructure.h>

#include <cstdint>
#include <string>
#include <vector>

namespace scalebridge::microstructure
{
  /**
   * Grey values of a segmented image to phase ids, as `Microstructure/Phase
   * map` states it: "0:0, 255:1" (one grey value per entry) or
   * "0-99:0, 100-255:1" (inclusive ranges). Tomography is stored as 8- or
   * 16-bit grey values that are labels, not ids (0 and 255, or a
   * segmentation's 1, 2, 3); the map says which label is which phase.
   * Without a map (empty text) every grey value is its own phase id and must
   * lie in [0, 255].
   */
  class PhaseMap
  {
  public:
    /// The identity map (grey value = phase id, at most 255).
    PhaseMap() = default;

    /**
     * Parses @p text. Throws InputError(@p source, @p entry, ...) for a
     * malformed entry, a range whose end is below its start, overlapping
     * ranges, grey values above 2^32 - 1 or phase ids above 255.
     */
    PhaseMap(const std::string &text,
             const std::string &source,
             const std::string &entry);

    /// True for the map without entries (grey value = phase id).
    bool
    is_identity() const;

    /**
     * Phase id of @p grey, or -1 when the map has no entry for it (or, for
     * the identity, when @p grey > 255).
     */
    int
    operator()(std::uint64_t grey) const;

    /**
     * Maps a slice of grey values into @p ids; throws InputError naming
     * @p file, the grey value, the voxel (i, j, k) of its first occurrence
     * (@p first is the flat index of values[0] in x-fastest order of
     * @p n_voxels) and what the map allows.
     */
    void
    apply(const std::vector<std::uint64_t> &values,
          std::size_t                       first,
          const std::array<unsigned, 3>    &n_voxels,
          const std::string                &file,
          std::vector<PhaseId>             &ids) const;

    /// "0-99:0, 100-255:1", or "identity" for the empty map.
    std::string
    to_string() const;

  private:
    struct Range
    {
      std::uint64_t first;
      std::uint64_t last;
      PhaseId       id;
    };
    /// Sorted by first, disjoint.
    std::vector<Range> ranges;
  };
} // namespace scalebridge::microstructure

#endif
