#ifndef scalebridge_macro_material_function_h
#define scalebridge_macro_material_function_h

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace scalebridge::macro
{
  /**
   * A material property as a function of up to three named variables (e.g.
   * ce and T), written in a parameter file either as an expression (deal.II
   * FunctionParser, muparser syntax, with named constants) or as
   * "table:FILE" (two columns, the first variable and the value; monotone
   * piecewise-cubic interpolation, so a monotone table stays monotone).
   *
   * Newton's method needs partial derivatives: they are central differences
   * with a step of 1e-5 of each variable's scale (relative error ~1e-9,
   * far below what Newton's convergence notices); variables an expression
   * does not mention have a zero derivative at no cost, and an expression
   * of no variable is evaluated once.
   */
  class MaterialFunction
  {
  public:
    static constexpr unsigned int max_variables = 3;
    using Arguments                             = std::array<double, 3>;

    /// The constant zero.
    MaterialFunction();

    /**
     * Parses @p spec. @p scales are typical magnitudes of the variables
     * (finite-difference steps, and the point where the expression is
     * evaluated once to find syntax errors, unknown names and non-finite
     * values). Throws InputError(@p source, @p key, reason) on failure.
     */
    MaterialFunction(const std::string                   &spec,
                     const std::vector<std::string>      &variables,
                     const std::vector<double>           &scales,
                     const std::map<std::string, double> &constants,
                     const std::string                   &source,
                     const std::string                   &key);

    /// A constant function (e.g. a property taken from a material card).
    static MaterialFunction
    constant(double value);

    double
    value(const Arguments &x) const;

    /// The value and the partial derivatives with respect to the first
    /// @p n_derivatives variables (the others, e.g. the fixed temperature of
    /// an isothermal run, are set to zero and cost nothing).
    double
    value_and_gradient(const Arguments &x,
                       Arguments       &gradient,
                       unsigned int     n_derivatives = max_variables) const;

    bool
    is_constant() const;

    bool
    depends_on(unsigned int variable) const;

    /// The text it was made from.
    const std::string &
    spec() const;

    /// How a non-constant function is evaluated (expression or table).
    class Implementation;

  private:
    std::shared_ptr<const Implementation> implementation;
    std::string                           text;
    double                                constant_value = 0;
    bool                                  constant_      = true;
    std::array<bool, max_variables>       uses{{false, false, false}};
    std::array<double, max_variables>     steps{{0, 0, 0}};
  };

  /// Whether @p spec asks for a value from a material card ("card").
  bool
  is_card_spec(const std::string &spec);
} // namespace scalebridge::macro

#endif
