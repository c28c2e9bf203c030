#ifndef scalebridge_atomistic_trajectory_reader_h
#define scalebridge_atomistic_trajectory_reader_h

#include <scalebridge/atomistic/chunked_reader.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace scalebridge::atomistic
{
  /**
   * What the MSD needs from a trajectory: the unwrapped positions of the
   * atoms of one species, frame by frame, and the centre of all atoms (to
   * remove the drift of the centre of mass). Only these are kept; the text
   * is streamed (see ChunkedReader), so memory is 24 bytes per followed atom
   * and frame whatever the size of the file.
   */
  struct TrajectoryData
  {
    /// "lammps-dump" or "extxyz".
    std::string format;
    /// How positions were unwrapped, for the report.
    std::string coordinates;
    bool        triclinic  = false;
    std::size_t n_atoms    = 0;
    std::size_t n_selected = 0;
    std::size_t n_frames   = 0;
    /// LAMMPS ids (or 1-based positions in an XYZ frame) of the followed
    /// atoms, ascending.
    std::vector<long long> ids;
    /// Unwrapped positions [length unit], [frame][atom][3].
    std::vector<double> positions;
    /// Number-weighted mean position of all atoms of each frame (all
    /// species; the dump has no masses).
    std::vector<std::array<double, 3>> centre;
    /// Timestep of each frame (LAMMPS), or the frame index (XYZ without
    /// Time=).
    std::vector<double> timesteps;
    std::uint64_t       bytes = 0;
  };

  /**
   * Reads a LAMMPS text dump or an extended XYZ trajectory and keeps the
   * atoms of @p species (the LAMMPS type, or the XYZ species symbol; "all"
   * follows every atom).
   *
   * LAMMPS: columns `id type` and either unwrapped `xu yu zu`, or wrapped
   * `x y z` with image flags `ix iy iz` (r = x + ix a + iy b + iz c with the
   * frame's box vectors, orthogonal or triclinic `BOX BOUNDS xy xz yz`).
   * Extended XYZ: `Properties=species:S:1:pos:R:3...` (default: species and
   * three positions), positions taken as unwrapped; atoms are identified by
   * their order; `Time=` if present must increase.
   *
   * Throws InputError "FILE:LINE: '@p entry': reason" for a truncated file,
   * a frame with missing, extra or repeated atoms, timesteps that do not
   * increase or are not equally spaced, missing columns (listing the ones
   * found), non-numbers, and for no atom of @p species.
   *
   * LAMMPS dumps are read in chunks of @p options.chunk_bytes parsed by
   * @p options.threads threads and merged in file order: the result, the
   * errors and their line numbers do not depend on either. Extended XYZ is
   * read by one thread.
   */
  TrajectoryData
  read_trajectory(const std::filesystem::path &path,
                  const std::string           &entry,
                  const std::string           &species,
                  const ChunkOptions          &options = ChunkOptions());
} // namespace scalebridge::atomistic

#endif
