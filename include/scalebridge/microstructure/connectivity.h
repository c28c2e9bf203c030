#ifndef scalebridge_microstructure_connectivity_h
#define scalebridge_microstructure_connectivity_h

#include <scalebridge/microstructure/microstructure.h>

#include <array>
#include <cstdint>
#include <vector>

/**
 * Connectivity of phases through voxel faces (6-connectivity in 3D, 4 in
 * 2D; voxels touching only along an edge or at a corner are not connected,
 * as no flux or traction passes there in a voxel finite-element mesh).
 */
namespace scalebridge::microstructure
{
  /// Whether labelling connects voxels across the faces of the cell.
  enum class Wrapping
  {
    /// The cell is a box: voxels on opposite faces are not neighbours.
    none,
    /// The cell is a torus: voxel n_d - 1 neighbours voxel 0 in direction d.
    periodic
  };

  /// Connected components of a phase set; see label_components().
  struct Components
  {
    /// Component of every voxel (storage order of Microstructure), -1 for
    /// voxels outside the phase set. Components are numbered 0, 1, ... in
    /// the storage order of their first voxel.
    std::vector<std::int32_t> labels;
    /// Voxels per component.
    std::vector<std::size_t> sizes;
    /**
     * Wrapping::none only: spans[c][d] says that component c touches both
     * faces normal to direction d (face-to-face percolation in a box).
     * All false for Wrapping::periodic.
     */
    std::vector<std::array<bool, 3>> spans;
    /**
     * Wrapping::periodic only: wraps[c][d] says that component c, repeated
     * periodically, is connected to a copy of itself shifted by a lattice
     * vector with non-zero d component, i.e. it forms an infinite cluster
     * that carries flux (or load) in direction d. A cluster whose only
     * self-connection is diagonal, e.g. by (1,1,0), wraps in x and y. A
     * component that wraps in no direction is a floating island of the
     * periodic medium. All false for Wrapping::none.
     */
    std::vector<std::array<bool, 3>> wraps;

    std::size_t
    n_components() const
    {
      return sizes.size();
    }
  };

  /**
   * Connected components of the voxels whose phase is in @p phase_set (the
   * phases are treated as one material). Runs in O(N): a flood fill over the
   * box, then, for Wrapping::periodic, a union-find over the box components
   * along the cell faces that tracks by how many periods each component is
   * shifted against its root, so that reaching a component again with a
   * different shift reveals wrapping.
   */
  Components
  label_components(const Microstructure       &microstructure,
                   const std::vector<PhaseId> &phase_set,
                   Wrapping                    wrapping);

  /// Percolation of a phase set in each direction (index 2 false in 2D).
  struct Percolation
  {
    /// Some component connects the two faces normal to d inside the box.
    std::array<bool, 3> spans{{false, false, false}};
    /// Some component of the periodic medium wraps in d (see Components).
    std::array<bool, 3> wraps{{false, false, false}};
    /// Number of components in the periodic medium.
    std::size_t n_periodic_components = 0;
  };

  /// Both kinds of percolation of @p phase_set.
  Percolation
  percolation(const Microstructure       &microstructure,
              const std::vector<PhaseId> &phase_set);

  /**
   * Whether the phases in @p phase_set connect the two faces of the cell
   * normal to @p direction through face-connected voxels.
   */
  bool
  percolates(const Microstructure       &microstructure,
             const std::vector<PhaseId> &phase_set,
             unsigned int                direction);
} // namespace scalebridge::microstructure

#endif
