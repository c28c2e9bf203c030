#ifndef scalebridge_rve_field_output_h
#define scalebridge_rve_field_output_h

#include <scalebridge/rve/cell_problem.h>
#include <scalebridge/rve/voxel_mesh.h>

#include <filesystem>
#include <string>
#include <vector>

namespace scalebridge::rve
{
  /// A solved cell problem and the prefix of its fields in the output.
  struct LabelledProblem
  {
    std::string        label;
    const CellProblem *problem;
  };

  /**
   * Writes <directory>/<basename>.pvtu and one .vtu per rank, viewable in
   * ParaView: the phase id of every cell and, for every problem and load
   * case, the nodal fluctuation (or, for tubc, the total field) and the
   * stress (flux) at the cell centres. Q2 fields go through deal.II's
   * FE_Q(2) and patches subdivided once, so every node is a point of the
   * output. Each file is written atomically.
   */
  template <int dim>
  void
  write_fields(const VoxelMesh<dim>               &mesh,
               const std::vector<LabelledProblem> &problems,
               const std::filesystem::path        &directory,
               const std::string                  &basename);

  /// Short names of the load cases of a problem: e11 ... e12 (unit
  /// strains), gx ... gz (unit gradients), s1 ... (tubc stress basis).
  std::vector<std::string>
  load_case_names(const CellProblem &problem);
} // namespace scalebridge::rve

#endif
