#include <scalebridge/microstructure/microstructure.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scalebridge::microstructure
{
  Microstructure::Microstructure(unsigned int                   dimension,
                                 const std::array<unsigned, 3> &n_voxels,
                                 const std::array<double, 3>   &size,
                                 PhaseId                        fill)
    : dim(dimension)
    , n(n_voxels)
    , extent(size)
  {
    if (dim != 2 && dim != 3)
      throw std::invalid_argument("Microstructure: dimension must be 2 or 3");
    if (dim == 2)
      n[2] = 1;
    for (unsigned d = 0; d < dim; ++d)
      {
        if (n[d] == 0)
          throw std::invalid_argument("Microstructure: zero voxels in a "
                                      "direction");
        if (!(extent[d] > 0))
          throw std::invalid_argument("Microstructure: size must be > 0");
      }
    ids.assign(n_total_voxels(), fill);
  }

  unsigned int
  Microstructure::dimension() const
  {
    return dim;
  }

  const std::array<unsigned, 3> &
  Microstructure::n_voxels() const
  {
    return n;
  }

  const std::array<double, 3> &
  Microstructure::size() const
  {
    return extent;
  }

  std::size_t
  Microstructure::n_total_voxels() const
  {
    return std::size_t(n[0]) * n[1] * n[2];
  }

  std::size_t
  Microstructure::index(unsigned i, unsigned j, unsigned k) const
  {
    return i + std::size_t(n[0]) * (j + std::size_t(n[1]) * k);
  }

  PhaseId
  Microstructure::phase(unsigned i, unsigned j, unsigned k) const
  {
    return ids[index(i, j, k)];
  }

  void
  Microstructure::set_phase(unsigned i, unsigned j, unsigned k, PhaseId id)
  {
    ids[index(i, j, k)] = id;
  }

  PhaseId
  Microstructure::phase_at(const std::array<double, 3> &x) const
  {
    std::array<unsigned, 3> v{{0, 0, 0}};
    for (unsigned d = 0; d < dim; ++d)
      {
        const double s = x[d] / extent[d];
        const double w = s - std::floor(s); // periodic wrap into [0,1)
        v[d] = std::min<unsigned>(n[d] - 1, static_cast<unsigned>(w * n[d]));
      }
    return phase(v[0], v[1], v[2]);
  }

  std::array<double, 3>
  Microstructure::voxel_size() const
  {
    std::array<double, 3> h{{extent[0] / n[0], extent[1] / n[1], 1.}};
    h[2] = dim == 3 ? extent[2] / n[2] : extent[2];
    return h;
  }

  std::array<double, 3>
  Microstructure::voxel_centre(unsigned i, unsigned j, unsigned k) const
  {
    const std::array<double, 3> h = voxel_size();
    return {
      {(i + 0.5) * h[0], (j + 0.5) * h[1], dim == 3 ? (k + 0.5) * h[2] : 0.}};
  }

  bool
  Microstructure::operator==(const Microstructure &other) const
  {
    return dim == other.dim && n == other.n && extent == other.extent
           && ids == other.ids;
  }

  bool
  Microstructure::operator!=(const Microstructure &other) const
  {
    return !(*this == other);
  }

  const std::vector<PhaseId> &
  Microstructure::data() const
  {
    return ids;
  }

  std::vector<PhaseId> &
  Microstructure::data()
  {
    return ids;
  }

  unsigned int
  Microstructure::n_phases() const
  {
    return ids.empty() ? 0 : 1u + *std::max_element(ids.begin(), ids.end());
  }

  std::vector<double>
  Microstructure::volume_fractions(unsigned int n_at_least) const
  {
    std::vector<double> fractions(std::max(n_phases(), n_at_least), 0.0);
    for (const PhaseId id : ids)
      fractions[id] += 1.0;
    for (double &f : fractions)
      f /= static_cast<double>(ids.size());
    return fractions;
  }
} // namespace scalebridge::microstructure
