#pragma once
// The value options of the `chitragupt <command> ...` subcommands: "--flag VALUE" or
// "--flag=VALUE", each at most once.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chitragupt::cli {

// A command's value options: the flag ("--tenant") and where its value goes.
using ValueOptions = std::vector<std::pair<const char*, std::optional<std::string>*>>;

// Reads the option words[i] (a word starting with "--") into its slot; a separate value moves
// `i` on to it. Returns the usage error, if any: "unknown option --x", "--x needs a value",
// "--x given twice".
std::optional<std::string> read_value_option(const std::vector<std::string>& words, std::size_t& i,
                                             const ValueOptions& options);

}  // namespace chitragupt::cli
