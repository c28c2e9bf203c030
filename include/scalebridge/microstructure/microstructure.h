#ifndef scalebridge_microstructure_microstructure_h
#define scalebridge_microstructure_microstructure_h

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace scalebridge::microstructure
{
  /// Phase id of a voxel; the index into the list of phase cards.
  using PhaseId = std::uint8_t;

  /**
   * A periodic voxel field of phase ids in 2D or 3D. Voxel (i,j,k) covers
   * [i h_x, (i+1) h_x] x [j h_y, (j+1) h_y] x [k h_z, (k+1) h_z] with
   * h = size / n; storage order is x fastest, then y, then z (the order of
   * raw image files). In 2D n[2] = 1 and k = 0.
   */
  class Microstructure
  {
  public:
    Microstructure() = default;

    /// All voxels of phase @p fill. @p dimension is 2 or 3.
    Microstructure(unsigned int                   dimension,
                   const std::array<unsigned, 3> &n_voxels,
                   const std::array<double, 3>   &size = {{1., 1., 1.}},
                   PhaseId                        fill = 0);

    unsigned int
    dimension() const;
    /// Voxels per direction (n[2] = 1 in 2D).
    const std::array<unsigned, 3> &
    n_voxels() const;
    /// Physical edge lengths of the cell (size[2] ignored in 2D).
    const std::array<double, 3> &
    size() const;
    std::size_t
    n_total_voxels() const;

    /// Linear index of voxel (i,j,k): i + n_x (j + n_y k).
    std::size_t
    index(unsigned i, unsigned j, unsigned k = 0) const;

    PhaseId
    phase(unsigned i, unsigned j, unsigned k = 0) const;
    void
    set_phase(unsigned i, unsigned j, unsigned k, PhaseId id);

    /// Phase of the voxel containing point @p x (periodic wrap-around).
    PhaseId
    phase_at(const std::array<double, 3> &x) const;

    /// Edge lengths h = size / n of one voxel (h[2] = size[2] in 2D).
    std::array<double, 3>
    voxel_size() const;

    /// Centre of voxel (i,j,k), ((i + 1/2) h_x, ...); z = 0 in 2D.
    std::array<double, 3>
    voxel_centre(unsigned i, unsigned j, unsigned k = 0) const;

    /// All ids, storage order as above.
    const std::vector<PhaseId> &
    data() const;
    std::vector<PhaseId> &
    data();

    /// 1 + the largest id present.
    unsigned int
    n_phases() const;

    /// Volume fraction of each id 0 .. max(n_phases()-1, @p n_at_least-1).
    std::vector<double>
    volume_fractions(unsigned int n_at_least = 0) const;

    /// Same dimension, voxel counts, size (exactly) and ids.
    bool
    operator==(const Microstructure &other) const;
    bool
    operator!=(const Microstructure &other) const;

  private:
    unsigned int            dim = 3;
    std::array<unsigned, 3> n{{0, 0, 0}};
    std::array<double, 3>   extent{{1., 1., 1.}};
    std::vector<PhaseId>    ids;
  };
} // namespace scalebridge::microstructure

#endif
