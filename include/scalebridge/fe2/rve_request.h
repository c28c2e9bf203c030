#ifndef scalebridge_fe2_rve_request_h
#define scalebridge_fe2_rve_request_h

#include <array>
#include <cstdint>
#include <tuple>

namespace scalebridge::fe2
{
  /**
   * Which RVE a macro cell owns: everything that fixes its microstructure
   * and the temperature. Requests with the same identity share one reuse
   * table; only the lithiation varies inside a table.
   */
  struct RveIdentity
  {
    unsigned int region = 0;
    /// Added to the generator's seed: the macro cell's global index with
    /// `Microstructure variation = per cell`, 0 otherwise.
    std::uint64_t realization = 0;
    /// Pore fraction the generator is asked for (the FE2 porosity function
    /// at the cell), or NaN: the RVE file's own fractions.
    double porosity    = 0;
    double temperature = 0;

    auto
    tie() const
    {
      return std::tie(region, realization, porosity, temperature);
    }

    bool
    operator<(const RveIdentity &other) const
    {
      return tie() < other.tie();
    }

    template <class Archive>
    void
    serialize(Archive &archive, const unsigned int)
    {
      archive &region &realization &porosity &temperature;
    }
  };

  /// One RVE solve: a microstructure at a lithium site fraction x.
  struct RveRequest
  {
    RveIdentity identity;
    double      lithiation = 0;

    bool
    operator<(const RveRequest &other) const
    {
      return std::tie(identity, lithiation)
             < std::tie(other.identity, other.lithiation);
    }

    template <class Archive>
    void
    serialize(Archive &archive, const unsigned int)
    {
      archive &identity &lithiation;
    }
  };

  /**
   * What an RVE hands up, in the cell frame (x through the thickness):
   * the electrolyte and solid transport efficiencies (3x3, row by row; NaN
   * where a 2D RVE has no component) and the pore fraction. Kept as one
   * flat array so that the reuse table interpolates it as a vector.
   */
  struct RveTensors
  {
    static constexpr unsigned int size = 19;
    std::array<double, size>      values{};

    double &
    electrolyte(const unsigned int i, const unsigned int j)
    {
      return values[3 * i + j];
    }
    double &
    solid(const unsigned int i, const unsigned int j)
    {
      return values[9 + 3 * i + j];
    }
    double &
    porosity()
    {
      return values[18];
    }
    double
    electrolyte(const unsigned int i, const unsigned int j) const
    {
      return values[3 * i + j];
    }
    double
    solid(const unsigned int i, const unsigned int j) const
    {
      return values[9 + 3 * i + j];
    }
    double
    porosity() const
    {
      return values[18];
    }

    template <class Archive>
    void
    serialize(Archive &archive, const unsigned int)
    {
      archive &values;
    }
  };

  /**
   * Relative difference of @p a from the reference @p b: the largest of
   * |a - b|_F / |b|_F over the electrolyte tensor, the solid tensor and the
   * porosity (components that are NaN in both, or blocks that vanish in
   * @p b, are skipped). The measure of the reuse tolerance.
   */
  double
  relative_difference(const RveTensors &a, const RveTensors &b);
} // namespace scalebridge::fe2

#endif
