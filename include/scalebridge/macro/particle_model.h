#ifndef scalebridge_macro_particle_model_h
#define scalebridge_macro_particle_model_h

#include <scalebridge/macro/electrode_material.h>

#include <vector>

namespace scalebridge::macro
{
  /**
   * Vertex-centred finite volumes on a sphere of radius R: nodes r_0 = 0 <
   * ... < r_N = R, control volumes bounded by the midpoints. The surface
   * node sits on r = R, so c_s,surf is an unknown (no extrapolation), and
   * sum_k V_k c_k is the exact discrete inventory, which makes lithium
   * conservation hold to round-off. Volumes and areas are per 4 pi.
   */
  class ParticleMesh
  {
  public:
    ParticleMesh() = default;

    /// @p ratio: width of the innermost over the outermost cell (>= 1
    /// grades the mesh geometrically towards the surface).
    ParticleMesh(double radius, unsigned int n_cells, double ratio = 1);

    unsigned int
    n_nodes() const;

    double
    radius() const;

    /// r_k.
    const std::vector<double> &
    radii() const;

    /// Control volumes V_k = (r_{k+1/2}^3 - r_{k-1/2}^3) / 3.
    const std::vector<double> &
    volumes() const;

    /// Face areas r_{k+1/2}^2, k = 0..N-1.
    const std::vector<double> &
    face_areas() const;

    /// r_{k+1} - r_k.
    const std::vector<double> &
    face_distances() const;

    /// Volume average of nodal values @p c.
    double
    mean(const double *c) const;

  private:
    double              R = 0;
    std::vector<double> r, volume, area, distance;
  };

  /**
   * The particle equations of one electrode on its mesh, in residual form
   *   R_k = V_k (a0 c_k + h_k) + A_{k+1/2} N_{k+1/2} - A_{k-1/2} N_{k-1/2}
   *         + delta_{kN} R^2 j / F,
   * where a0 c + h is the BDF approximation of dc/dt, N the radial flux of
   * ElectrodeMaterial and j the reaction current density [A/m^2] (positive
   * = lithium leaves). The Jacobian dR/dc is tridiagonal; the macro solver
   * eliminates each particle by two tridiagonal solves (static
   * condensation), so particles never enter the global matrix.
   */
  class ParticleModel
  {
  public:
    ParticleModel(const ParticleMesh &mesh, const ElectrodeMaterial &material);

    const ParticleMesh &
    mesh() const;

    const ElectrodeMaterial &
    material() const;

    /// dR_N/dj = R^2/F.
    double
    surface_coefficient() const;

    /**
     * Residual @p R and tridiagonal Jacobian (@p lower[k] = dR_k/dc_{k-1},
     * @p diag, @p upper[k] = dR_k/dc_{k+1}) at concentrations @p c with
     * history terms @p h and reaction current @p j. All arrays have
     * n_nodes() entries. @p work needs 4 n_nodes() doubles.
     */
    void
    residual_and_jacobian(const double *c,
                          const double *h,
                          double        a0,
                          double        j,
                          double       *R,
                          double       *lower,
                          double       *diag,
                          double       *upper,
                          double       *work) const;

  private:
    ParticleMesh             mesh_;
    const ElectrodeMaterial *material_;
    double                   surface;
  };

  /**
   * Solves the tridiagonal system (@p lower, @p diag, @p upper) for the
   * right-hand sides in @p rhs (@p n_rhs vectors of length @p n, stored one
   * after the other) by the Thomas algorithm; @p diag is overwritten. The
   * particle Jacobians are diagonally dominant M-matrices, for which the
   * algorithm is stable without pivoting.
   */
  void
  solve_tridiagonal(unsigned int  n,
                    const double *lower,
                    double       *diag,
                    const double *upper,
                    double       *rhs,
                    unsigned int  n_rhs);
} // namespace scalebridge::macro

#endif
