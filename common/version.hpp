#pragma once
// The engine's version, set by CMake from project(VERSION ...).

namespace chitragupt {
inline constexpr const char* kVersion = CHITRAGUPT_VERSION;
}  // namespace chitragupt
