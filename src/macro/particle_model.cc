#include <scalebridge/base/constants.h>
#include <scalebridge/macro/particle_model.h>

#include <cmath>
#include <stdexcept>

namespace scalebridge::macro
{
  ParticleMesh::ParticleMesh(const double       radius,
                             const unsigned int n_cells,
                             const double       ratio)
    : R(radius)
  {
    if (n_cells < 1 || !(radius > 0) || !(ratio >= 1))
      throw std::invalid_argument("ParticleMesh: bad radius, cells or ratio");
    // Geometric widths w_k = w_0 q^k from the centre out, w_0 / w_{N-1} =
    // ratio, sum = R.
    const double q = n_cells > 1 ? std::pow(1 / ratio, 1.0 / (n_cells - 1)) : 1;
    std::vector<double> width(n_cells);
    double              total = 0;
    for (unsigned int k = 0; k < n_cells; ++k)
      total += (width[k] = std::pow(q, k));
    r.assign(n_cells + 1, 0);
    for (unsigned int k = 0; k < n_cells; ++k)
      r[k + 1] = r[k] + width[k] * R / total;
    r.back() = R;

    volume.resize(n_cells + 1);
    area.resize(n_cells);
    distance.resize(n_cells);
    double inner = 0;
    for (unsigned int k = 0; k <= n_cells; ++k)
      {
        const double outer = k < n_cells ? 0.5 * (r[k] + r[k + 1]) : R;
        volume[k] = (outer * outer * outer - inner * inner * inner) / 3;
        if (k < n_cells)
          {
            area[k]     = outer * outer;
            distance[k] = r[k + 1] - r[k];
          }
        inner = outer;
      }
  }

  unsigned int
  ParticleMesh::n_nodes() const
  {
    return r.size();
  }

  double
  ParticleMesh::radius() const
  {
    return R;
  }

  const std::vector<double> &
  ParticleMesh::radii() const
  {
    return r;
  }

  const std::vector<double> &
  ParticleMesh::volumes() const
  {
    return volume;
  }

  const std::vector<double> &
  ParticleMesh::face_areas() const
  {
    return area;
  }

  const std::vector<double> &
  ParticleMesh::face_distances() const
  {
    return distance;
  }

  double
  ParticleMesh::mean(const double *c) const
  {
    double sum = 0;
    for (unsigned int k = 0; k < volume.size(); ++k)
      sum += volume[k] * c[k];
    return sum / (R * R * R / 3);
  }

  ParticleModel::ParticleModel(const ParticleMesh      &mesh,
                               const ElectrodeMaterial &material)
    : mesh_(mesh)
    , material_(&material)
    , surface(mesh.radius() * mesh.radius() / constants::faraday)
  {
  }

  const ParticleMesh &
  ParticleModel::mesh() const
  {
    return mesh_;
  }

  const ElectrodeMaterial &
  ParticleModel::material() const
  {
    return *material_;
  }

  double
  ParticleModel::surface_coefficient() const
  {
    return surface;
  }

  void
  ParticleModel::residual_and_jacobian(const double *c,
                                       const double *h,
                                       const double  a0,
                                       const double  j,
                                       double       *R,
                                       double       *lower,
                                       double       *diag,
                                       double       *upper,
                                       double       *work) const
  {
    const unsigned int n     = mesh_.n_nodes();
    const double       c_max = material_->max_concentration();
    const auto        &V     = mesh_.volumes();
    const auto        &A     = mesh_.face_areas();
    const auto        &d     = mesh_.face_distances();

    for (unsigned int k = 0; k < n; ++k)
      {
        R[k]     = V[k] * (a0 * c[k] + h[k]);
        diag[k]  = V[k] * a0;
        lower[k] = 0;
        upper[k] = 0;
      }
    R[n - 1] += surface * j;

    double *g  = work;
    double *dg = work + n;
    if (material_->constant_fickian())
      {
        double       dM;
        const double M = material_->mobility(0.5, dM) / c_max;
        // N = -M (c_{k+1} - c_k) / d: linear, a graph Laplacian.
        for (unsigned int f = 0; f + 1 < n; ++f)
          {
            const double k_f  = A[f] * M / d[f];
            const double flux = -k_f * (c[f + 1] - c[f]);
            R[f] += flux;
            R[f + 1] -= flux;
            diag[f] += k_f;
            upper[f] -= k_f;
            lower[f + 1] -= k_f;
            diag[f + 1] += k_f;
          }
        return;
      }

    for (unsigned int k = 0; k < n; ++k)
      g[k] = material_->transport_potential(c[k] / c_max, dg[k]);
    // The mobility of the mobility (card) law is proportional to x: the
    // ions drift down the gradient of mu. Taking it from the upstream node
    // keeps the Jacobian an M-matrix (so y = T^-1 e_N > 0) even across the
    // sharp fronts of a phase-separating (convexified) material.
    const bool upwind = material_->mobility_upwinded();
    for (unsigned int f = 0; f + 1 < n; ++f)
      {
        const double       dg_f = g[f + 1] - g[f];
        const unsigned int up   = (!upwind || dg_f <= 0) ? f : f + 1;
        const double       x_face
          = upwind ? c[up] / c_max : 0.5 * (c[f] + c[f + 1]) / c_max;
        double       dM;
        const double M    = material_->mobility(x_face, dM);
        const double flux = -A[f] * M * dg_f / d[f];
        // d(flux)/dc through the mobility: the face value depends on both
        // nodes (central) or on the upstream one only.
        const double dM_term = -A[f] * dM * dg_f / (d[f] * c_max);
        const double left_M  = upwind ? (up == f ? dM_term : 0) : 0.5 * dM_term;
        const double right_M
          = upwind ? (up == f + 1 ? dM_term : 0) : 0.5 * dM_term;
        const double d_left  = left_M + A[f] * M * dg[f] / (d[f] * c_max);
        const double d_right = right_M - A[f] * M * dg[f + 1] / (d[f] * c_max);
        R[f] += flux;
        R[f + 1] -= flux;
        diag[f] += d_left;
        upper[f] += d_right;
        lower[f + 1] -= d_left;
        diag[f + 1] -= d_right;
      }
  }

  void
  solve_tridiagonal(const unsigned int n,
                    const double      *lower,
                    double            *diag,
                    const double      *upper,
                    double            *rhs,
                    const unsigned int n_rhs)
  {
    for (unsigned int k = 1; k < n; ++k)
      {
        const double m = lower[k] / diag[k - 1];
        diag[k] -= m * upper[k - 1];
        for (unsigned int s = 0; s < n_rhs; ++s)
          rhs[s * n + k] -= m * rhs[s * n + k - 1];
      }
    for (unsigned int s = 0; s < n_rhs; ++s)
      {
        double *b = rhs + s * n;
        b[n - 1] /= diag[n - 1];
        for (unsigned int k = n - 1; k-- > 0;)
          b[k] = (b[k] - upper[k] * b[k + 1]) / diag[k];
      }
  }
} // namespace scalebridge::macro
