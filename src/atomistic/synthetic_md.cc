#include <scalebridge/atomistic/synthetic_md.h>
#include <scalebridge/base/constants.h>
#include <scalebridge/io/atomic_file.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>
#include <string>

namespace scalebridge::atomistic
{
  GaussianSource::GaussianSource(const std::uint64_t seed)
    : engine(seed)
  {
  }

  double
  GaussianSource::operator()()
  {
    if (has_spare)
      {
        has_spare = false;
        return spare;
      }
    // Box-Muller on two uniforms in (0, 1] from the top 53 bits.
    const auto uniform
      = [&] { return (double(engine() >> 11) + 1.0) * 0x1.0p-53; };
    const double r   = std::sqrt(-2.0 * std::log(uniform()));
    const double phi = 2.0 * M_PI * uniform();
    spare            = r * std::sin(phi);
    has_spare        = true;
    return r * std::cos(phi);
  }

  namespace
  {
    /// Positions of all atoms of every frame, hosts first (ids 1..n_hosts,
    /// type 1), then walkers (type 2); calls @p frame(k, positions).
    template <typename FrameFunction>
    void
    generate_walk(const RandomWalkSpec &spec, FrameFunction &&frame)
    {
      GaussianSource      gauss(spec.seed);
      const std::size_t   n = spec.n_hosts + spec.n_walkers;
      std::vector<double> sites(3 * n), walk(3 * n), r(3 * n);
      // Sites on a simple cubic lattice filling the box.
      const std::size_t side
        = static_cast<std::size_t>(std::ceil(std::cbrt(double(n))));
      for (std::size_t a = 0; a < n; ++a)
        {
          const std::size_t idx[3]
            = {a % side, (a / side) % side, a / (side * side)};
          for (int d = 0; d < 3; ++d)
            sites[3 * a + d] = (idx[d] + 0.5) * spec.box_length / side;
        }
      const double step
        = std::sqrt(2.0 * spec.diffusivity * spec.time_per_frame);
      const double vibration = 0.05 * spec.box_length / side;
      // The hosts take up the walkers' displacement (a recoil, as momentum
      // conservation does in MD): the centre of all atoms stays put apart
      // from the vibrations, so removing its drift leaves D unbiased.
      std::array<double, 3> recoil = {{0, 0, 0}};
      for (std::size_t k = 0; k < spec.n_frames; ++k)
        {
          if (k > 0)
            for (std::size_t a = spec.n_hosts; a < n; ++a)
              for (int d = 0; d < 3; ++d)
                {
                  const double s = step * gauss();
                  walk[3 * a + d] += s;
                  if (spec.n_hosts > 0)
                    recoil[d] -= s / spec.n_hosts;
                }
          for (std::size_t a = 0; a < n; ++a)
            for (int d = 0; d < 3; ++d)
              {
                double x;
                if (a < spec.n_hosts)
                  x = sites[3 * a + d] + recoil[d] + vibration * gauss();
                else
                  x = sites[3 * a + d] + walk[3 * a + d];
                r[3 * a + d] = x + spec.drift[d] * k * spec.time_per_frame;
              }
          frame(k, r);
        }
    }

    void
    write_text(const std::filesystem::path &path, const std::string &text)
    {
      io::write_atomically(path, [&](std::ostream &out) { out << text; });
    }
  } // namespace

  TrajectoryData
  random_walk_trajectory(const RandomWalkSpec &spec)
  {
    TrajectoryData data;
    data.format      = "synthetic";
    data.coordinates = "unwrapped";
    data.n_atoms     = spec.n_hosts + spec.n_walkers;
    data.n_selected  = spec.n_walkers;
    data.n_frames    = spec.n_frames;
    for (std::size_t i = 0; i < spec.n_walkers; ++i)
      data.ids.push_back(spec.n_hosts + i + 1);
    data.positions.reserve(3 * spec.n_walkers * spec.n_frames);
    generate_walk(spec, [&](std::size_t k, const std::vector<double> &r) {
      std::array<double, 3> c = {{0, 0, 0}};
      for (std::size_t a = 0; a < data.n_atoms; ++a)
        for (int d = 0; d < 3; ++d)
          c[d] += r[3 * a + d] / data.n_atoms;
      data.centre.push_back(c);
      data.timesteps.push_back(double(k));
      data.positions.insert(data.positions.end(),
                            r.begin() + 3 * spec.n_hosts,
                            r.end());
    });
    return data;
  }

  std::uint64_t
  write_random_walk_dump(const std::filesystem::path &path,
                         const RandomWalkSpec        &spec,
                         const bool                   images,
                         const int                    digits)
  {
    std::FILE *out = std::fopen(path.c_str(), "wb");
    if (!out)
      throw std::runtime_error("cannot write '" + path.string() + "'");
    const std::size_t        n = spec.n_hosts + spec.n_walkers;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 shuffle(spec.seed ^ 0x9e3779b97f4a7c15ull);
    const double    L = spec.box_length, xy = spec.tilt_xy;
    const bool      triclinic = xy != 0;
    generate_walk(spec, [&](std::size_t k, const std::vector<double> &r) {
      // A fixed, seeded permutation of the lines (LAMMPS does not sort).
      for (std::size_t i = n - 1; i > 0; --i)
        std::swap(order[i], order[shuffle() % (i + 1)]);
      std::fprintf(out,
                   "ITEM: TIMESTEP\n%zu\nITEM: NUMBER OF ATOMS\n%zu\n",
                   k * 100,
                   n);
      if (triclinic)
        std::fprintf(out,
                     "ITEM: BOX BOUNDS xy xz yz pp pp pp\n%.6f %.6f %.6f\n"
                     "0 %.6f 0\n0 %.6f 0\n",
                     std::min(0.0, xy),
                     L + std::max(0.0, xy),
                     xy,
                     L,
                     L);
      else
        std::fprintf(
          out, "ITEM: BOX BOUNDS pp pp pp\n0 %.6f\n0 %.6f\n0 %.6f\n", L, L, L);
      std::fprintf(out,
                   images ? "ITEM: ATOMS id type x y z ix iy iz\n"
                          : "ITEM: ATOMS id type xu yu zu\n");
      for (const std::size_t a : order)
        {
          const int type = a < spec.n_hosts ? 1 : 2;
          double    x = r[3 * a], y = r[3 * a + 1], z = r[3 * a + 2];
          if (!images)
            {
              std::fprintf(out,
                           "%zu %d %.*f %.*f %.*f\n",
                           a + 1,
                           type,
                           digits,
                           x,
                           digits,
                           y,
                           digits,
                           z);
              continue;
            }
          // Wrap into the (triclinic) cell: r = s + i a + j b + k c.
          const long iz = long(std::floor(z / L));
          z -= iz * L;
          const long iy = long(std::floor(y / L));
          y -= iy * L;
          x -= iy * xy;
          const long ix = long(std::floor(x / L));
          x -= ix * L;
          std::fprintf(out,
                       "%zu %d %.*f %.*f %.*f %ld %ld %ld\n",
                       a + 1,
                       type,
                       digits,
                       x,
                       digits,
                       y,
                       digits,
                       z,
                       ix,
                       iy,
                       iz);
        }
    });
    const long bytes = std::ftell(out);
    if (std::fclose(out) != 0)
      throw std::runtime_error("writing '" + path.string() + "' failed");
    return static_cast<std::uint64_t>(bytes);
  }

  std::array<std::vector<double>, 3>
  ornstein_uhlenbeck_flux(const std::size_t   rows,
                          const double        tau_rows,
                          const double        variance,
                          const std::uint64_t seed)
  {
    GaussianSource                     gauss(seed);
    const double                       phi   = std::exp(-1.0 / tau_rows);
    const double                       sigma = std::sqrt(variance);
    const double                       kick  = sigma * std::sqrt(1 - phi * phi);
    std::array<std::vector<double>, 3> flux;
    for (auto &component : flux)
      {
        component.resize(rows);
        double x = sigma * gauss(); // stationary start
        for (std::size_t k = 0; k < rows; ++k)
          {
            component[k] = x;
            x            = phi * x + kick * gauss();
          }
      }
    return flux;
  }

  double
  ornstein_uhlenbeck_integral(const double tau_rows, const double variance)
  {
    const double phi = std::exp(-1.0 / tau_rows);
    return 3 * variance * (1 / (1 - phi) - 0.5);
  }

  std::array<std::vector<double>, 6>
  gaussian_box_fluctuations(const std::size_t                           rows,
                            const std::array<double, 3>                &lengths,
                            const std::array<std::array<double, 6>, 6> &S,
                            const double        temperature,
                            const double        length_unit_m,
                            const double        tau_rows,
                            const std::uint64_t seed)
  {
    const double V
      = lengths[0] * lengths[1] * lengths[2] * std::pow(length_unit_m, 3);
    const double kT_over_V = constants::boltzmann * temperature / V;
    // Cholesky factor of the strain covariance kT/V S.
    double A[6][6] = {};
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j <= i; ++j)
        {
          double s = kT_over_V * S[i][j];
          for (int k = 0; k < j; ++k)
            s -= A[i][k] * A[j][k];
          if (i == j)
            {
              if (!(s > 0))
                throw std::invalid_argument(
                  "gaussian_box_fluctuations: compliance not positive "
                  "definite");
              A[i][i] = std::sqrt(s);
            }
          else
            A[i][j] = s / A[j][j];
        }
    GaussianSource                     gauss(seed);
    const double                       phi  = std::exp(-1.0 / tau_rows);
    const double                       kick = std::sqrt(1 - phi * phi);
    std::array<std::vector<double>, 6> box;
    for (auto &c : box)
      c.resize(rows);
    double z[6];
    for (double &zi : z)
      zi = gauss();
    for (std::size_t k = 0; k < rows; ++k)
      {
        double e[6] = {};
        for (int i = 0; i < 6; ++i)
          for (int j = 0; j <= i; ++j)
            e[i] += A[i][j] * z[j];
        const double E[3][3] = {{e[0], e[5] / 2, e[4] / 2},
                                {e[5] / 2, e[1], e[3] / 2},
                                {e[4] / 2, e[3] / 2, e[2]}};
        double       G[3][3];
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j)
            G[i][j]
              = lengths[i] * lengths[j] * ((i == j ? 1.0 : 0.0) + 2 * E[i][j]);
        // Upper-triangular R with R^T R = G.
        const double r00 = std::sqrt(G[0][0]);
        const double r01 = G[0][1] / r00, r02 = G[0][2] / r00;
        const double r11 = std::sqrt(G[1][1] - r01 * r01);
        const double r12 = (G[1][2] - r01 * r02) / r11;
        const double r22 = std::sqrt(G[2][2] - r02 * r02 - r12 * r12);
        box[0][k]        = r00;
        box[1][k]        = r11;
        box[2][k]        = r22;
        box[3][k]        = r01;
        box[4][k]        = r02;
        box[5][k]        = r12;
        for (double &zi : z)
          zi = phi * zi + kick * gauss();
      }
    return box;
  }

  void
  write_flux_table(const std::filesystem::path              &path,
                   const std::array<std::vector<double>, 3> &flux,
                   const long long                           steps_per_row)
  {
    std::string text = "# Time-averaged data for fix JJ\n"
                       "# TimeStep c_flux[1] c_flux[2] c_flux[3]\n";
    char        line[160];
    for (std::size_t k = 0; k < flux[0].size(); ++k)
      {
        std::snprintf(line,
                      sizeof line,
                      "%lld %.5g %.5g %.5g\n",
                      (long long)k * steps_per_row,
                      flux[0][k],
                      flux[1][k],
                      flux[2][k]);
        text += line;
      }
    write_text(path, text);
  }

  void
  write_box_log(const std::filesystem::path              &path,
                const std::array<std::vector<double>, 6> &box,
                const double                              temperature,
                const long long                           steps_per_row)
  {
    std::string text
      = "LAMMPS (synthetic NPT log written by scalebridge-atomistic-benchmark "
        "--generate-example)\n"
        "fix 1 all npt temp 300 300 0.1 tri 0 0 1.0\n"
        "thermo_style custom step temp press lx ly lz xy xz yz\n"
        "Per MPI rank memory allocation (min/avg/max) = 3.1 | 3.1 | 3.1 "
        "Mbytes\n"
        "   Step          Temp          Press            Lx             Ly "
        "            Lz             Xy             Xz             Yz\n";
    char line[256];
    for (std::size_t k = 0; k < box[0].size(); ++k)
      {
        std::snprintf(line,
                      sizeof line,
                      "%lld %.3f 0 %.7f %.7f %.7f %.7f %.7f %.7f\n",
                      (long long)k * steps_per_row,
                      temperature,
                      box[0][k],
                      box[1][k],
                      box[2][k],
                      box[3][k],
                      box[4][k],
                      box[5][k]);
        text += line;
      }
    text += "Loop time of 12.3 on 1 procs for 100000 steps with 250 atoms\n";
    write_text(path, text);
  }

  void
  write_example_inputs(const std::filesystem::path &dir)
  {
    std::filesystem::create_directories(dir);
    // Lithium-like walkers (type 2) among host atoms (type 1), metal units:
    // D = 0.02 A^2/ps = 2e-10 m^2/s, a frame every 0.5 ps.
    RandomWalkSpec walk;
    walk.n_walkers      = 12;
    walk.n_hosts        = 12;
    walk.n_frames       = 400;
    walk.diffusivity    = 0.02;
    walk.time_per_frame = 0.5;
    walk.box_length     = 12;
    walk.seed           = 2024;
    write_random_walk_dump(dir / "li_walk.dump", walk, true, 3);

    // Heat flux J V [eV A/ps], correlation time 4 rows of 0.01 ps.
    write_flux_table(dir / "heat_flux.dat",
                     ornstein_uhlenbeck_flux(6000, 4.0, 1500.0, 7),
                     10);

    // Cubic crystal C11 = 150, C12 = 80, C44 = 60 GPa at 300 K, 20 A box.
    const double                         C11 = 150e9, C12 = 80e9, C44 = 60e9;
    const double                         d = (C11 - C12) * (C11 + 2 * C12);
    std::array<std::array<double, 6>, 6> S{};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        S[i][j] = i == j ? (C11 + C12) / d : -C12 / d;
    for (int i = 3; i < 6; ++i)
      S[i][i] = 1 / C44;
    write_box_log(
      dir / "npt_box.log",
      gaussian_box_fluctuations(2000, {{20, 20, 20}}, S, 300, 1e-10, 2.0, 11),
      300,
      100);
  }
} // namespace scalebridge::atomistic
