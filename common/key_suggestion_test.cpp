#include "common/key_suggestion.hpp"

#include <gtest/gtest.h>

namespace chitragupt {
namespace {

TEST(KeySuggestion, edit_distance_counts_single_edits) {
  EXPECT_EQ(edit_distance("conection_string", "connection_string"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("Port", "port"), 0u);
  EXPECT_EQ(edit_distance("prot", "port"), 1u);
}

TEST(KeySuggestion, suggests_closest_key_for_a_typo) {
  EXPECT_EQ(unknown_key_message("conection_string", {"backend", "connection_string"}),
            "unknown key (did you mean connection_string?)");
  EXPECT_EQ(unknown_key_message("lookback", {"cutoff_days", "lookback_days"}),
            "unknown key (did you mean lookback_days?)");
}

TEST(KeySuggestion, lists_valid_keys_when_nothing_is_close) {
  EXPECT_EQ(unknown_key_message("zzz", {"host", "port", "enable_cors"}),
            "unknown key (valid keys: enable_cors, host, port)");
}

}  // namespace
}  // namespace chitragupt
