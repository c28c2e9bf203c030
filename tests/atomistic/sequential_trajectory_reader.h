#ifndef scalebridge_tests_atomistic_sequential_trajectory_reader_h
#define scalebridge_tests_atomistic_sequential_trajectory_reader_h

#include <scalebridge/atomistic/trajectory_reader.h>

namespace scalebridge::test_support
{
  /// read_trajectory() as it was before chunks and threads: the reference
  /// for the parallel reader.
  atomistic::TrajectoryData
  read_trajectory_sequentially(const std::filesystem::path &path,
                               const std::string           &entry,
                               const std::string           &species);
} // namespace scalebridge::test_support

#endif
