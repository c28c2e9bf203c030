#include <deal.II/base/utilities.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/macro/protocol.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>

namespace scalebridge::macro
{
  namespace
  {
    std::string
    lower(std::string s)
    {
      std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
        return std::tolower(c);
      });
      return s;
    }

    /// Splits "1.5C" into "1.5" and "c", "C/5" into "c/5", "24 A/m2" into
    /// tokens; returns the words of a step with numbers and units apart.
    std::vector<std::string>
    tokens(const std::string &step)
    {
      std::vector<std::string> result;
      std::istringstream       words(lower(step));
      for (std::string w; words >> w;)
        {
          // "1c", "0.5c" -> "1", "c"; "10min" -> "10", "min"; "3.2v" -> ...
          std::size_t i = 0;
          while (i < w.size()
                 && (std::isdigit(static_cast<unsigned char>(w[i]))
                     || w[i] == '.' || w[i] == 'e' || w[i] == '+'
                     || w[i] == '-'))
            {
              // an 'e' is part of the number only inside it ("1e-3")
              if (w[i] == 'e' && (i == 0 || i + 1 == w.size()))
                break;
              ++i;
            }
          if (i > 0 && i < w.size() && w.substr(0, i) != "e")
            {
              result.push_back(w.substr(0, i));
              result.push_back(w.substr(i));
            }
          else
            result.push_back(w);
        }
      return result;
    }

    class StepParser
    {
    public:
      StepParser(const std::string &text,
                 double             one_c,
                 const std::string &source,
                 const std::string &key)
        : text(text)
        , words(tokens(text))
        , one_c(one_c)
        , source(source)
        , key(key)
      {
      }

      [[noreturn]] void
      fail(const std::string &why) const
      {
        throw InputError(source,
                         key,
                         "step '" + text + "': " + why
                           + " (steps look like 'Discharge at 1C until 3.2 V', "
                             "'Charge at C/2 for 1 h', 'Rest for 10 min', "
                             "'Hold at 4.1 V until C/50')");
      }

      bool
      done() const
      {
        return position == words.size();
      }

      const std::string &
      peek() const
      {
        static const std::string none;
        return done() ? none : words[position];
      }

      std::string
      next(const std::string &what)
      {
        if (done())
          fail("expected " + what + " at the end");
        return words[position++];
      }

      void
      expect(const std::string &word)
      {
        if (next("'" + word + "'") != word)
          fail("expected '" + word + "' before '" + words[position - 1] + "'");
      }

      double
      number(const std::string &what)
      {
        const std::string w = next(what);
        try
          {
            std::size_t  used  = 0;
            const double value = std::stod(w, &used);
            if (used != w.size() || !std::isfinite(value))
              throw std::invalid_argument(w);
            return value;
          }
        catch (const std::exception &)
          {
            fail("expected " + what + ", got '" + w + "'");
          }
      }

      /// "1 c", "c/5", "24 a/m2" -> A/m^2 (positive).
      double
      rate()
      {
        if (peek().rfind("c/", 0) == 0)
          {
            const std::string w = next("a rate");
            try
              {
                const double n = std::stod(w.substr(2));
                if (!(n > 0))
                  throw std::invalid_argument(w);
                return one_c / n;
              }
            catch (const std::exception &)
              {
                fail("cannot read the rate '" + w + "'");
              }
          }
        if (peek() == "c")
          {
            next("c");
            return one_c;
          }
        const double      value = number("a rate (xC, C/n or x A/m2)");
        const std::string unit  = next("a unit (C or A/m2)");
        if (unit == "c")
          return value * one_c;
        if (unit == "a/m2" || unit == "a/m^2")
          return value;
        fail("unknown rate unit '" + unit + "' (C or A/m2)");
      }

      double
      duration()
      {
        const double      value = number("a duration");
        const std::string unit  = next("a time unit (s, min, h)");
        double            seconds;
        if (unit == "s" || unit == "sec" || unit == "seconds")
          seconds = value;
        else if (unit == "min" || unit == "minutes")
          seconds = 60 * value;
        else if (unit == "h" || unit == "hour" || unit == "hours")
          seconds = 3600 * value;
        else
          fail("unknown time unit '" + unit + "' (s, min, h)");
        if (seconds > max_step_duration)
          fail("a step may last at most "
               + std::to_string(static_cast<int>(max_step_duration / 3600))
               + " h");
        return seconds;
      }

      double
      voltage()
      {
        const double value = number("a voltage");
        if (next("'V'") != "v")
          fail("a voltage needs the unit V");
        return value;
      }

      std::string              text;
      std::vector<std::string> words;
      std::size_t              position = 0;
      double                   one_c;
      const std::string       &source;
      const std::string       &key;
    };

    OperatingStep
    parse_step(const std::string &text,
               const double       one_c,
               const double       lower_cutoff,
               const double       upper_cutoff,
               const std::string &source,
               const std::string &key)
    {
      StepParser    p(text, one_c, source, key);
      OperatingStep step;
      step.text              = text;
      const std::string verb = p.next("a step");
      if (verb == "discharge" || verb == "charge")
        {
          const double sign = (verb == "discharge") ? 1 : -1;
          p.expect("at");
          const double rate    = p.rate();
          step.control         = OperatingStep::Control::current;
          step.current_density = sign * rate;
          step.duration        = 2 * 3600 * one_c / rate;
          step.voltage_limit   = sign > 0 ? lower_cutoff : upper_cutoff;
          while (!p.done())
            {
              const std::string word = p.next("'for' or 'until'");
              if (word == "for")
                step.duration = p.duration();
              else if (word == "until")
                {
                  step.voltage_limit = p.voltage();
                  if (sign > 0 && *step.voltage_limit < lower_cutoff)
                    p.fail("the limit lies below the lower cut-off");
                  if (sign < 0 && *step.voltage_limit > upper_cutoff)
                    p.fail("the limit lies above the upper cut-off");
                }
              else
                p.fail("unexpected '" + word + "'");
            }
        }
      else if (verb == "rest")
        {
          p.expect("for");
          step.control  = OperatingStep::Control::rest;
          step.duration = p.duration();
        }
      else if (verb == "hold")
        {
          p.expect("at");
          step.control  = OperatingStep::Control::voltage;
          step.voltage  = p.voltage();
          step.duration = std::numeric_limits<double>::infinity();
          if (step.voltage < lower_cutoff || step.voltage > upper_cutoff)
            p.fail("the held voltage lies outside the cut-offs");
          while (!p.done())
            {
              const std::string word = p.next("'for' or 'until'");
              if (word == "for")
                step.duration = p.duration();
              else if (word == "until")
                step.current_limit = p.rate();
              else
                p.fail("unexpected '" + word + "'");
            }
          if (!step.current_limit && !std::isfinite(step.duration))
            p.fail("a hold needs 'for' or 'until'");
        }
      else
        p.fail("unknown step '" + verb + "' (Discharge, Charge, Rest or Hold)");
      if (!(step.duration > 0))
        p.fail("the duration must be positive");
      // Implicit durations (a slow discharge, a hold until a current) end
      // at the longest step a run can meet.
      step.duration = std::min(step.duration, max_step_duration);
      return step;
    }
  } // namespace

  std::vector<OperatingStep>
  parse_protocol(const std::string &text,
                 const double       one_c_current_density,
                 const double       lower_cutoff,
                 const double       upper_cutoff,
                 const std::string &source,
                 const std::string &key)
  {
    std::vector<OperatingStep> steps;
    std::istringstream         in(text);
    for (std::string part; std::getline(in, part, ';');)
      {
        const std::string step = dealii::Utilities::trim(part);
        if (!step.empty())
          steps.push_back(parse_step(step,
                                     one_c_current_density,
                                     lower_cutoff,
                                     upper_cutoff,
                                     source,
                                     key));
      }
    if (steps.empty())
      throw InputError(source, key, "has no steps");
    return steps;
  }

  std::vector<OperatingStep>
  default_protocol(const double c_rate,
                   const double one_c_current_density,
                   const double lower_cutoff,
                   const double upper_cutoff)
  {
    OperatingStep step;
    step.control         = OperatingStep::Control::current;
    step.current_density = c_rate * one_c_current_density;
    step.duration        = std::min(3600 / std::abs(c_rate), max_step_duration);
    step.voltage_limit   = c_rate > 0 ? lower_cutoff : upper_cutoff;
    std::ostringstream text;
    text << (c_rate > 0 ? "Discharge" : "Charge") << " at " << std::abs(c_rate)
         << "C for " << step.duration << " s until " << *step.voltage_limit
         << " V";
    step.text = text.str();
    return {step};
  }
} // namespace scalebridge::macro
