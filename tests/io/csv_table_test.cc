#include <scalebridge/io/csv_table.h>

#include <gtest/gtest.h>

#include <fstream>
#include <limits>

#include "test_paths.h"

using namespace scalebridge;

TEST(CsvTable, WritesHeaderAndFullPrecision)
{
  io::CsvTable table({"x", "y"});
  table.add_row({0.1, 1.0 / 3.0});
  table.add_row({0.2, 2.0});
  EXPECT_THROW(table.add_row({1.0}), std::logic_error);
  EXPECT_EQ(table.column("y")[1], 2.0);

  const auto path = test_support::scratch_directory("csv") / "t.csv";
  table.write(path);
  std::ifstream in(path);
  std::string   header, row;
  std::getline(in, header);
  std::getline(in, row);
  EXPECT_EQ(header, "x,y");
  const double y = std::stod(row.substr(row.find(',') + 1));
  EXPECT_EQ(y, 1.0 / 3.0); // round-trips exactly
}

// A quantity that does not exist in a row (the solid phase in the separator)
// is an empty cell, not the literal "nan" that spreadsheets read as text.
TEST(CsvTable, NanIsAnEmptyCell)
{
  io::CsvTable table({"x", "phi_s", "ce"});
  table.add_row({1, std::numeric_limits<double>::quiet_NaN(), 2});
  table.add_row({2, 3, std::numeric_limits<double>::quiet_NaN()});
  const auto path = test_support::scratch_directory("csv_nan") / "t.csv";
  table.write(path);
  std::ifstream in(path);
  std::string   header, first, second;
  std::getline(in, header);
  std::getline(in, first);
  std::getline(in, second);
  EXPECT_EQ(first, "1,,2");
  EXPECT_EQ(second, "2,3,");
}
