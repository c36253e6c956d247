#pragma once
// What a fuzz target does when an invariant breaks: print what and abort, so libFuzzer saves
// the input as a crash (assert() would vanish under NDEBUG in RelWithDebInfo).

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, what)                                                          \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", what, __FILE__, __LINE__); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)
