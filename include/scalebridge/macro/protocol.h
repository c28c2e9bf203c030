#ifndef scalebridge_macro_protocol_h
#define scalebridge_macro_protocol_h

#include <optional>
#include <string>
#include <vector>

namespace scalebridge::macro
{
  /// Longest protocol step [s], 1000 h: every step ends after at most this
  /// simulated time (a duration asked for beyond it is an error), so that
  /// no step runs forever.
  constexpr double max_step_duration = 1000 * 3600.;

  /// One step of an operating protocol.
  struct OperatingStep
  {
    enum class Control
    {
      current,
      voltage,
      rest
    };

    Control control = Control::rest;
    /// Applied current density [A/m^2], discharge positive (current, rest).
    double current_density = 0;
    /// Held terminal voltage [V] (voltage).
    double voltage = 0;
    /// Longest duration [s].
    double duration = 0;
    /// A current step ends when the voltage reaches this value [V].
    std::optional<double> voltage_limit;
    /// A voltage step ends when |I| falls to this value [A/m^2].
    std::optional<double> current_limit;
    /// The step as written, for reports.
    std::string text;
  };

  /**
   * Parses a protocol: steps separated by ';' (case does not matter):
   *   "Discharge at 1C [for 30 min] [until 3.2 V]"
   *   "Charge at 0.5C | C/5 | 12 A/m2 ..."
   *   "Rest for 600 s"
   *   "Hold at 4.1 V [for 1 h] [until C/50 | 0.5 A/m2]"
   * A current step without "until" ends at the lower (discharge) or upper
   * (charge) cut-off, and without "for" after twice its nominal duration
   * (7200 s/C); a hold needs "for" or "until". Throws InputError(@p source,
   * @p key, ...) naming the offending step.
   */
  std::vector<OperatingStep>
  parse_protocol(const std::string &text,
                 double             one_c_current_density,
                 double             lower_cutoff,
                 double             upper_cutoff,
                 const std::string &source,
                 const std::string &key);

  /// The default: one discharge at @p c_rate (charge if negative) for
  /// 3600/|c_rate| s, ending early at the cut-off.
  std::vector<OperatingStep>
  default_protocol(double c_rate,
                   double one_c_current_density,
                   double lower_cutoff,
                   double upper_cutoff);
} // namespace scalebridge::macro

#endif
