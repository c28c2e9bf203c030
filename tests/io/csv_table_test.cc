#include <scalebridge/io/csv_table.h>

#include <gtest/gtest.h>

#include <fstream>

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
