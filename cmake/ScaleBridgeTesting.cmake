# Helpers to register ScaleBridge tests with CTest.
#
# scalebridge_add_test(NAME <name> SOURCES <files...> [RANKS <n...>]
#                      [TIMEOUT <s>] [LABELS <labels...>])
#   Builds test_<name> from the given GoogleTest sources and the MPI-aware
#   main, and registers it once per rank count as <name>.np<N>. Without RANKS
#   the test runs once, serially, under the name <name>.
#
# scalebridge_add_app_test(NAME <name> SCRIPT <file> [ARGS <args...>]
#                          [TIMEOUT <s>])
#   Registers a regression test of an app: a shell script called with the
#   build directory, the source directory and the mpiexec command.

find_package(GTest REQUIRED)

# OpenMPI refuses to run as root without these flags, and 3 ranks on a
# 2-core machine need --oversubscribe.
set(SCALEBRIDGE_MPIEXEC "${DEAL_II_MPIEXEC}")
if(NOT SCALEBRIDGE_MPIEXEC)
  set(SCALEBRIDGE_MPIEXEC mpiexec)
endif()
execute_process(COMMAND ${SCALEBRIDGE_MPIEXEC} --version
  OUTPUT_VARIABLE _mpiexec_version ERROR_QUIET)
if(_mpiexec_version MATCHES "Open MPI|OpenRTE")
  set(SCALEBRIDGE_MPIEXEC_PREFLAGS --allow-run-as-root --oversubscribe)
else()
  set(SCALEBRIDGE_MPIEXEC_PREFLAGS "")
endif()
set(SCALEBRIDGE_MPIRUN ${SCALEBRIDGE_MPIEXEC} ${SCALEBRIDGE_MPIEXEC_PREFLAGS}
  ${DEAL_II_MPIEXEC_NUMPROC_FLAG})
# Tests run more ranks than there are free cores (3 ranks, or several tests
# side by side on 2 cores): OpenMPI's busy polling then costs more than the
# work, so idle ranks yield their core.
set(SCALEBRIDGE_MPI_TEST_ENVIRONMENT "OMPI_MCA_mpi_yield_when_idle=1")

function(scalebridge_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;RANKS;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set(_exe test_${T_NAME})
  add_executable(${_exe} ${T_SOURCES})
  deal_ii_setup_target(${_exe})
  target_link_libraries(${_exe} scalebridge scalebridge_gtest_main
    GTest::gtest)
  set_target_properties(${_exe} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  if(NOT T_RANKS)
    add_test(NAME ${T_NAME} COMMAND $<TARGET_FILE:${_exe}>
      WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT}
      LABELS "unit;${T_LABELS}")
  else()
    foreach(_n ${T_RANKS})
      set(_test ${T_NAME}.np${_n})
      add_test(NAME ${_test}
        COMMAND ${SCALEBRIDGE_MPIRUN} ${_n} $<TARGET_FILE:${_exe}>
        WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
      # Ranks share the 2 cores; let CTest know so it does not overload them.
      set_tests_properties(${_test} PROPERTIES TIMEOUT ${T_TIMEOUT}
        PROCESSORS ${_n} LABELS "mpi;${T_LABELS}"
        ENVIRONMENT "${SCALEBRIDGE_MPI_TEST_ENVIRONMENT}")
    endforeach()
  endif()
endfunction()

function(scalebridge_add_app_test)
  cmake_parse_arguments(T "" "NAME;SCRIPT;TIMEOUT;PROCESSORS" "ARGS;DEPENDS"
    ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  if(NOT T_PROCESSORS)
    set(T_PROCESSORS 1)
  endif()
  string(REPLACE ";" " " _mpirun "${SCALEBRIDGE_MPIRUN}")
  add_test(NAME ${T_NAME}
    COMMAND bash ${T_SCRIPT} ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}
            "${_mpirun}" ${T_ARGS}
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT}
    PROCESSORS ${T_PROCESSORS} LABELS "app"
    ENVIRONMENT "${SCALEBRIDGE_MPI_TEST_ENVIRONMENT}")
endfunction()
