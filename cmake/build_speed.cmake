# Build time of the test executables (a cold CI build has no ccache). Measured per test file
# with GCC 12: a test file's time goes to code generation and debug info for gtest/gmock and
# nlohmann templates, not to parsing headers, so precompiled headers gained nothing
# (validation_test.cpp 18.1 s -> 21.1 s with gtest+gmock+nlohmann+httplib+spdlog
# precompiled), while -O1 -g1 cut it to 10.8 s (chargeback_routes_test.cpp 22.0 -> 12.4 s), and
# -O0 -g1 by another quarter (validation_test.cpp 4.7 -> 3.4 s, chargeback_routes_test.cpp
# 5.9 -> 4.6 s on a faster machine). So test code only — the code under test in our libraries
# keeps the build type's flags — is not optimised and carries line tables only (enough for
# backtraces and gdb's `bt`); the tests mostly wait on the code under test, processes and
# sockets. docs/testing.md has the figures.
option(CHITRAGUPT_LIGHT_TEST_BUILD "Compile test sources with -O0 and line-table debug info" ON)

function(chitragupt_light_test_flags target)
  if(NOT CHITRAGUPT_LIGHT_TEST_BUILD)
    return()
  endif()
  if(CHITRAGUPT_SANITIZE)
    # The sanitizer build (clang): test code at -O0 and without libFuzzer's coverage hooks,
    # which only the libraries need. validation_test.cpp: 23.7 s at -O1 with the hooks, 7.7 s
    # like this; the libraries under test are instrumented (at the build type's level: -O0 in
    # scripts/sanitize-test.sh).
    target_compile_options(${target} PRIVATE -O0 -fno-sanitize=fuzzer-no-link)
  elseif(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" OR CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # After the build type's -O2 -g on the command line, so these win.
    target_compile_options(${target} PRIVATE $<$<CONFIG:RelWithDebInfo,Release>:-O0 -g1>)
  endif()
endfunction()
