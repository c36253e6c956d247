# The sanitizer build (CHITRAGUPT_SANITIZE) and the libFuzzer targets (CHITRAGUPT_FUZZ), both
# with clang, in a build directory of their own (scripts/sanitize-test.sh uses build-asan/).
# Included right after project(): the flags must reach every target, our libraries included.
# docs/testing.md says how to run them.
option(CHITRAGUPT_SANITIZE "Build with AddressSanitizer + UndefinedBehaviorSanitizer (clang)" OFF)
option(CHITRAGUPT_FUZZ "Also build the libFuzzer targets of fuzz/ (needs CHITRAGUPT_SANITIZE)" OFF)
if(CHITRAGUPT_FUZZ AND NOT CHITRAGUPT_SANITIZE)
  message(FATAL_ERROR "CHITRAGUPT_FUZZ=ON needs CHITRAGUPT_SANITIZE=ON (the fuzzers run under "
                      "ASan+UBSan)")
endif()
if(CHITRAGUPT_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CHITRAGUPT_SANITIZE=ON needs clang (libFuzzer comes with it): "
                        "-DCMAKE_CXX_COMPILER=clang++")
  endif()
  # Any report ends the process with a non-zero status, so ctest and the fuzzers fail on it.
  set(CHITRAGUPT_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  add_compile_options(${CHITRAGUPT_SANITIZER_FLAGS}
    # Checks turned off in third-party headers only (the file says which and why).
    -fsanitize-ignorelist=${CMAKE_SOURCE_DIR}/cmake/sanitizer-ignorelist.txt)
  add_link_options(${CHITRAGUPT_SANITIZER_FLAGS})
  if(CHITRAGUPT_FUZZ)
    # Coverage feedback for libFuzzer in every object (the fuzz targets reuse the libraries the
    # tests link); without libFuzzer linked in, the hooks are the sanitizer runtime's no-ops.
    add_compile_options(-fsanitize=fuzzer-no-link)
  endif()
endif()
