# The libFuzzer targets of fuzz/ (CHITRAGUPT_FUZZ=ON, see cmake/sanitize.cmake), one executable
# per target, linked from the same libraries as the tests. Each also replays its seed corpus
# (fuzz/corpus/<target>/, findings included) as a ctest test of the sanitizer build;
# scripts/fuzz.sh runs them for a bounded time.
if(NOT CHITRAGUPT_FUZZ)
  return()
endif()

function(chitragupt_fuzz_target name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(fuzz_${name} ${ARG_SOURCES})
  target_compile_options(fuzz_${name} PRIVATE ${CHITRAGUPT_WARNINGS})
  target_include_directories(fuzz_${name} PRIVATE ${CMAKE_SOURCE_DIR})
  target_link_libraries(fuzz_${name} PRIVATE ${ARG_DEPS})
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  add_test(NAME fuzz_${name}_corpus
    COMMAND fuzz_${name} -runs=0 ${CMAKE_SOURCE_DIR}/fuzz/corpus/${name})
  set_tests_properties(fuzz_${name}_corpus PROPERTIES TIMEOUT 120 LABELS fuzz)
endfunction()

chitragupt_fuzz_target(config SOURCES fuzz/config_fuzzer.cpp DEPS chitragupt_config)
chitragupt_fuzz_target(env SOURCES fuzz/env_fuzzer.cpp DEPS chitragupt_config)
chitragupt_fuzz_target(ccloud SOURCES fuzz/ccloud_fuzzer.cpp DEPS chitragupt_ecosystems)
chitragupt_fuzz_target(prometheus SOURCES fuzz/prometheus_fuzzer.cpp DEPS chitragupt_ecosystems)
# http/report_routes.cpp is pure (no actors, no httplib): compiled in rather than linking the
# engine library.
chitragupt_fuzz_target(report SOURCES fuzz/report_fuzzer.cpp http/report_routes.cpp
  DEPS chitragupt_report chitragupt_storage)

add_custom_target(fuzzers DEPENDS fuzz_config fuzz_env fuzz_ccloud fuzz_prometheus fuzz_report)
