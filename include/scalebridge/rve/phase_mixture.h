#ifndef scalebridge_rve_phase_mixture_h
#define scalebridge_rve_phase_mixture_h

#include <scalebridge/rve/phase_laws.h>

#include <vector>

/**
 * @file
 * Pseudo-phases of partially filled voxels.
 *
 * Why: a swelling particle moves its surface by a fraction of a voxel; with
 * whole voxels the RVE's response to the lithiation is a staircase, which no
 * reuse tolerance below a step can interpolate. A voxel of the growth front
 * that holds a volume fraction phi of phase a and 1 - phi of phase b is given
 * the laws of the mixture, as a pseudo-phase of its own, so the RVE responds
 * continuously to the volume of a.
 */
namespace scalebridge::rve
{
  /// Pseudo-phase @p id: fraction @p fraction_a of phase @p a, the rest b.
  struct PhaseMixture
  {
    unsigned int id         = 0;
    unsigned int a          = 0;
    unsigned int b          = 0;
    double       fraction_a = 0;

    /// The fraction of the mixture that belongs to @p phases (a transport
    /// group): phi [a in phases] + (1 - phi) [b in phases].
    template <typename Phases>
    double
    share_of(const Phases &phases) const
    {
      double s = 0;
      for (const auto p : phases)
        s += (p == a ? fraction_a : 0.) + (p == b ? 1. - fraction_a : 0.);
      return s;
    }
  };

  /**
   * Appends to @p laws the pseudo-phase "fraction @p fraction_a of phase
   * @p a, the rest @p b" and returns it (its id is the old laws.size()).
   *
   * Mixing rule: the arithmetic (Voigt, parallel) mean by volume fraction of
   * the conductivities and of the stiffnesses, a phase that does not take
   * part counting as zero; the eigenstress C eps* is averaged the same way,
   * so the mixture's eigenstrain is C_mix^-1 (phi C_a eps*_a + (1 - phi)
   * C_b eps*_b) (the swelling phase's own eps* when only one carries load).
   * Why arithmetic: it is exact for a voxel whose two parts lie side by
   * side along the flux, it is the only one of the Wiener bounds that does
   * not vanish when one phase is an insulator or a void (the harmonic mean
   * would close a pore voxel to transport at the first touch of the front,
   * a jump), and it is linear in phi, so the laws of the front voxels, and
   * with them the tensors, follow the swollen volume continuously and
   * reproduce the pure phases at phi = 0 and 1. The error of the rule is
   * confined to the one-voxel front and tends to zero with the voxel size.
   */
  PhaseMixture
  add_mixture(PhaseLaws   &laws,
              unsigned int a,
              unsigned int b,
              double       fraction_a);
} // namespace scalebridge::rve

#endif
