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
   * where a 2D RVE has no component), the pore fraction, and for regions
   * with fe2 mechanics the effective stiffness C_eff (Mandel, Pa, its 21
   * upper-triangle entries row by row) and the effective swelling strain
   * eps*_eff at the state's lithiation relative to x = 0 (Mandel, 6). A
   * block the region does not ask for is NaN. Kept as one flat array so
   * that the reuse table interpolates it as a vector.
   */
  struct RveTensors
  {
    static constexpr unsigned int transport_size = 19;
    static constexpr unsigned int stiffness_size = 21;
    static constexpr unsigned int swelling_size  = 6;
    static constexpr unsigned int size
      = transport_size + stiffness_size + swelling_size;
    std::array<double, size> values{};

    /// Position of C_IJ (Mandel indices, either order) in values.
    static constexpr unsigned int
    stiffness_index(const unsigned int I, const unsigned int J)
    {
      const unsigned int i = I < J ? I : J, j = I < J ? J : I;
      return transport_size + 6 * i - i * (i - 1) / 2 + (j - i);
    }

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
    double &
    stiffness(const unsigned int I, const unsigned int J)
    {
      return values[stiffness_index(I, J)];
    }
    double &
    swelling(const unsigned int I)
    {
      return values[transport_size + stiffness_size + I];
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
    double
    stiffness(const unsigned int I, const unsigned int J) const
    {
      return values[stiffness_index(I, J)];
    }
    double
    swelling(const unsigned int I) const
    {
      return values[transport_size + stiffness_size + I];
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
   * |a - b|_F / |b|_F over the blocks electrolyte tensor, solid tensor,
   * porosity, stiffness (the full 6x6 Frobenius norm) and swelling strain
   * (components that are NaN in both, or blocks that vanish in both, are
   * skipped; a block that vanishes in @p b only differs infinitely). The
   * measure of the reuse tolerance, for transport and mechanics alike.
   */
  double
  relative_difference(const RveTensors &a, const RveTensors &b);
} // namespace scalebridge::fe2

#endif
