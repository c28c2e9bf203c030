// CODATA 2018: the defining constants are exact, F and R their products.

#include <scalebridge/base/constants.h>
#include <scalebridge/base/input_error.h>

#include <gtest/gtest.h>

using namespace scalebridge;

TEST(Constants, Codata2018)
{
  EXPECT_EQ(constants::elementary_charge, 1.602176634e-19);
  EXPECT_EQ(constants::boltzmann, 1.380649e-23);
  EXPECT_EQ(constants::avogadro, 6.02214076e23);
  EXPECT_EQ(constants::planck, 6.62607015e-34);
  // Published rounded values of the derived constants, to their digits.
  EXPECT_NEAR(constants::faraday, 96485.33212, 5e-6);
  EXPECT_NEAR(constants::gas_constant, 8.314462618, 5e-10);
  EXPECT_NEAR(constants::boltzmann_eV, 8.617333262e-5, 5e-15);
}

TEST(InputError, MessageNamesSourceKeyAndReason)
{
  const InputError e("card.json", "elastic/C11", "must be > 0 (got -1)");
  EXPECT_STREQ(e.what(), "card.json: 'elastic/C11': must be > 0 (got -1)");
  EXPECT_EQ(e.source(), "card.json");
  EXPECT_EQ(e.key(), "elastic/C11");
  EXPECT_EQ(e.reason(), "must be > 0 (got -1)");
}
