#ifndef scalebridge_rve_homogenization_h
#define scalebridge_rve_homogenization_h

#include <deal.II/base/mpi.h>

#include <scalebridge/microstructure/microstructure.h>
#include <scalebridge/rve/parameters.h>
#include <scalebridge/rve/phase_laws.h>
#include <scalebridge/rve/phase_mixture.h>

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace scalebridge::rve
{
  /// Everything a homogenisation run needs, read and validated.
  struct RveInput
  {
    /// The parameter file, for error messages.
    std::string                    source;
    RveParameters                  parameters;
    microstructure::Microstructure microstructure;
    PhaseLaws                      laws;
    std::vector<TransportGroup>    groups;
    /// Pseudo-phases of partially filled voxels (add_mixture()), by the
    /// microstructure's ids past the cards; none for an RVE as read. A
    /// transport group takes a mixture by its share of the group's phases.
    std::vector<PhaseMixture> mixtures;
  };

  /**
   * Builds the microstructure, reads the material cards and checks every
   * input against the others before anything is computed or written: phase
   * ids without a card, physics that no phase takes part in, transport
   * groups naming unknown phases or not percolating in a required direction
   * (face connectivity; wrapping around the periodic cell for periodic
   * conditions, connecting opposite faces otherwise). Throws InputError.
   */
  RveInput
  prepare_input(const RveParameters &parameters, const std::string &source);

  /**
   * Solves every requested cell problem (per boundary condition: elasticity
   * and its swelling load case, conduction, one conduction problem per
   * transport group), writes the
   * fields if asked to, and returns the content of effective_tensors.json.
   * Progress lines go to @p log on rank 0.
   */
  nlohmann::json
  run_homogenization(const RveInput &input, MPI_Comm comm, std::ostream &log);
} // namespace scalebridge::rve

#endif
