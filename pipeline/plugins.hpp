#pragma once
// Registers each ecosystem's plugin_settings validator with the config code (call once at
// start-up, before any configuration is loaded).

namespace chitragupt::pipeline {

void register_plugin_validators();

}  // namespace chitragupt::pipeline
