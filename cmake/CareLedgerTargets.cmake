# Helpers that give every CareLedger target the same shape: one library per module, tests beside the code.

# careledger_target_defaults(target): our include root and warnings.
function(careledger_target_defaults target)
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(${target} PRIVATE ${CARELEDGER_WARNINGS})
endfunction()

# careledger_library(NAME name SOURCES ... DEPS ...): a static library for one module.
function(careledger_library)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_library(${ARG_NAME} STATIC ${ARG_SOURCES})
  careledger_target_defaults(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

# careledger_test(NAME name SOURCES ... DEPS ...): a GoogleTest binary registered with CTest. Each case is
# named "<binary>.<Suite>.<Case>", so `ctest -R config_test` runs one module's tests, and labelled "unit".
function(careledger_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS" ${ARGN})
  if(NOT CARELEDGER_BUILD_TESTS)
    return()
  endif()
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  careledger_target_defaults(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60 TEST_PREFIX "${ARG_NAME}." PROPERTIES LABELS unit)
endfunction()

# careledger_benchmark(NAME name SOURCES ... DEPS ...): a Google Benchmark program (never run by CTest).
function(careledger_benchmark)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS" ${ARGN})
  if(NOT CARELEDGER_BUILD_BENCHMARKS)
    return()
  endif()
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  careledger_target_defaults(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} benchmark::benchmark)
endfunction()

include(GoogleTest)
