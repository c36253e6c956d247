#pragma once
// One CSV field as RFC 4180 wants it: every CSV this program writes (the chargeback and topic
// exports, the CSV emitters, FOCUS files) quotes the same way.

#include <string>

namespace chitragupt {

// Appends `field` to `out`: as it is when it holds no comma, quote, CR or LF; otherwise in
// double quotes with each inner quote doubled.
void append_csv_field(std::string& out, const std::string& field);

}  // namespace chitragupt
