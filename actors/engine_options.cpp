#include "actors/engine_options.hpp"

namespace chitragupt::actors {

const char* to_string(Mode m) {
  switch (m) {
    case Mode::worker:
      return "worker";
    case Mode::api:
      return "api";
    case Mode::both:
      return "both";
  }
  return "both";
}

}  // namespace chitragupt::actors
