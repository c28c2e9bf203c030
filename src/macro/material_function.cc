#include <deal.II/base/exceptions.h>
#include <deal.II/base/function_parser.h>
#include <deal.II/base/point.h>

#include <scalebridge/base/input_error.h>
#include <scalebridge/base/preconditions.h>
#include <scalebridge/macro/material_function.h>
#include <scalebridge/thermo/ocv_table.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

namespace scalebridge::macro
{
  class MaterialFunction::Implementation
  {
  public:
    virtual ~Implementation() = default;

    virtual double
    evaluate(const Arguments &x) const = 0;
  };

  namespace
  {
    /// muparser through deal.II; unused variable slots get hidden names.
    class Expression : public MaterialFunction::Implementation
    {
    public:
      Expression(const std::string                   &expression,
                 std::vector<std::string>             variables,
                 const std::map<std::string, double> &constants)
      {
        while (variables.size() < MaterialFunction::max_variables)
          variables.push_back("sb_unused_" + std::to_string(variables.size()));
        std::string names;
        for (const auto &v : variables)
          names += (names.empty() ? "" : ",") + v;
        parser.initialize(names, expression, constants);
      }

      double
      evaluate(const MaterialFunction::Arguments &x) const override
      {
        return parser.value(dealii::Point<3>(x[0], x[1], x[2]));
      }

    private:
      dealii::FunctionParser<3> parser;
    };

    /// A two-column table, interpolated in the first variable.
    class Table : public MaterialFunction::Implementation
    {
    public:
      explicit Table(thermo::OcvTable table)
        : table(std::move(table))
      {
      }

      double
      evaluate(const MaterialFunction::Arguments &x) const override
      {
        return table.value(x[0]);
      }

    private:
      thermo::OcvTable table;
    };

    /// Reads "x,value" rows; lines that do not start with a number (a
    /// header, comments) are skipped.
    thermo::OcvTable
    read_table(const std::string &file,
               const std::string &source,
               const std::string &key)
    {
      std::ifstream in(file);
      if (!in)
        throw InputError(source, key, "cannot open table file '" + file + "'");
      std::vector<double> xs, ys;
      std::string         line;
      while (std::getline(in, line))
        {
          std::replace(line.begin(), line.end(), ',', ' ');
          std::replace(line.begin(), line.end(), ';', ' ');
          std::istringstream fields(line);
          double             x, y;
          if (fields >> x >> y)
            {
              xs.push_back(x);
              ys.push_back(y);
            }
        }
      try
        {
          return thermo::OcvTable(xs, ys);
        }
      catch (const std::exception &e)
        {
          throw InputError(source,
                           key,
                           "table '" + file
                             + "' (two columns, first strictly "
                               "increasing, at least two rows): "
                             + e.what());
        }
    }

    /// Whether @p name occurs in @p expression as a whole word.
    bool
    mentions(const std::string &expression, const std::string &name)
    {
      const std::regex word("(^|[^A-Za-z0-9_])" + name + "([^A-Za-z0-9_]|$)");
      return std::regex_search(expression, word);
    }

    /// deal.II exception text on one line, without the banner.
    std::string
    one_line(const dealii::ExceptionBase &e)
    {
      std::ostringstream info;
      e.print_info(info);
      std::string text;
      bool        space = false;
      for (const char c : info.str())
        if (c == '\n' || c == ' ' || c == '\t')
          space = !text.empty();
        else
          {
            if (space)
              text += ' ';
            text += c;
            space = false;
          }
      return text;
    }

  } // namespace

  MaterialFunction::MaterialFunction()
    : text("0")
  {
  }

  MaterialFunction::MaterialFunction(
    const std::string                   &spec,
    const std::vector<std::string>      &variables,
    const std::vector<double>           &scales,
    const std::map<std::string, double> &constants,
    const std::string                   &source,
    const std::string                   &key)
    : text(spec)
  {
    if (variables.empty() || variables.size() > max_variables
        || scales.size() != variables.size())
      throw std::logic_error("MaterialFunction: bad variable list");

    std::string trimmed = spec;
    trimmed.erase(0, trimmed.find_first_not_of(" \t"));
    trimmed.erase(trimmed.find_last_not_of(" \t") + 1);
    if (trimmed.empty())
      throw InputError(source, key, "is empty; give an expression or table");

    Arguments probe{{0, 0, 0}};
    for (unsigned int i = 0; i < variables.size(); ++i)
      {
        probe[i] = scales[i];
        steps[i] = 1e-5 * scales[i];
      }

    if (trimmed.rfind("table:", 0) == 0)
      {
        std::string file = trimmed.substr(6);
        file.erase(0, file.find_first_not_of(" \t"));
        implementation = std::make_shared<Table>(read_table(file, source, key));
        constant_      = false;
        uses[0]        = true;
      }
    else
      {
        std::string names;
        for (const auto &v : variables)
          names += (names.empty() ? "" : ", ") + v;
        // muparser reports parse errors on the first evaluation (and prints
        // a diagnostic to std::cerr): evaluate once here, with std::cerr
        // captured, so that a typo or an unknown function is an input error.
        double value = 0;
        try
          {
            auto expression
              = std::make_shared<Expression>(trimmed, variables, constants);
            std::ostringstream captured;
            std::streambuf    *old = std::cerr.rdbuf(captured.rdbuf());
            try
              {
                value = expression->evaluate(probe);
              }
            catch (...)
              {
                std::cerr.rdbuf(old);
                throw;
              }
            std::cerr.rdbuf(old);
            implementation = expression;
          }
        catch (const dealii::ExceptionBase &e)
          {
            throw InputError(source,
                             key,
                             "cannot evaluate '" + trimmed + "': " + one_line(e)
                               + " (variables: " + names + ")");
          }
        if (!std::isfinite(value))
          throw InputError(
            source,
            key,
            "'" + trimmed + "' is not finite at the test point" + " (" + names
              + ") = (" + format_number(probe[0], 6)
              + (variables.size() > 1 ? ", " + format_number(probe[1], 6) : "")
              + (variables.size() > 2 ? ", " + format_number(probe[2], 6) : "")
              + ")");
        for (unsigned int i = 0; i < variables.size(); ++i)
          uses[i] = mentions(trimmed, variables[i]);
        constant_
          = std::none_of(uses.begin(), uses.end(), [](bool b) { return b; });
        if (constant_)
          {
            constant_value = value;
            implementation.reset();
          }
      }
  }

  MaterialFunction
  MaterialFunction::constant(const double value)
  {
    MaterialFunction f;
    f.constant_value = value;
    f.text           = format_number(value, 6);
    return f;
  }

  double
  MaterialFunction::value(const Arguments &x) const
  {
    return constant_ ? constant_value : implementation->evaluate(x);
  }

  double
  MaterialFunction::value_and_gradient(const Arguments   &x,
                                       Arguments         &gradient,
                                       const unsigned int n_derivatives) const
  {
    gradient = {{0, 0, 0}};
    if (constant_)
      return constant_value;
    const double f = implementation->evaluate(x);
    for (unsigned int i = 0; i < std::min(n_derivatives, max_variables); ++i)
      if (uses[i])
        {
          const double h  = std::max(1e-5 * std::abs(x[i]), 1e-2 * steps[i]);
          Arguments    xp = x, xm = x;
          xp[i] += h;
          xm[i] -= h;
          const double fp = implementation->evaluate(xp);
          const double fm = implementation->evaluate(xm);
          if (std::isfinite(fp) && std::isfinite(fm))
            gradient[i] = (fp - fm) / (2 * h);
          else if (std::isfinite(fp))
            gradient[i] = (fp - f) / h;
          else if (std::isfinite(fm))
            gradient[i] = (f - fm) / h;
          else
            gradient[i] = std::numeric_limits<double>::quiet_NaN();
        }
    return f;
  }

  bool
  MaterialFunction::is_constant() const
  {
    return constant_;
  }

  bool
  MaterialFunction::depends_on(const unsigned int variable) const
  {
    return variable < max_variables && uses[variable];
  }

  const std::string &
  MaterialFunction::spec() const
  {
    return text;
  }

  bool
  is_card_spec(const std::string &spec)
  {
    std::string trimmed = spec;
    trimmed.erase(0, trimmed.find_first_not_of(" \t"));
    trimmed.erase(trimmed.find_last_not_of(" \t") + 1);
    return trimmed == "card";
  }
} // namespace scalebridge::macro
