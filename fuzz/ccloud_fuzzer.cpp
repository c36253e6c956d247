// Fuzz target: what the Confluent Cloud APIs answer, as the collector reads it. The first byte
// picks the reader, the rest is the response body: a page of objects (data[] through every
// parse_* mapping), a page of billing costs (exact decimal text -> billing lines), or a
// metadata.next link (its page_token). Checked besides crashes: billing lines carry decimal
// text, never a double (unless the amount itself was not a number).

#include <cstddef>
#include <cstdint>
#include <string>

#include "ecosystems/confluent_cloud/api.hpp"
#include "ecosystems/confluent_cloud/billing_lines.hpp"
#include "sources/decimal_text.hpp"
#include "sources/json_text.hpp"
#include "sources/url.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using chitragupt::ccloud::NumberMode;
using nlohmann::json;

// data[] of a page, as CcloudApi's pager collects it (a non-list data is an error there).
json page_items(const json& body) {
  if (!body.is_object()) return json::array();
  auto data = body.find("data");
  if (data == body.end() || !data->is_array()) return json::array();
  return *data;
}

void map_objects(const json& items, std::uint8_t which) {
  namespace cc = chitragupt::ccloud;
  for (const auto& item : items) {
    switch (which % 13) {
      case 0:
        cc::parse_organization(item);
        break;
      case 1:
        cc::parse_environment(item, "env-1");
        break;
      case 2:
        cc::parse_kafka_cluster(item, "env-1");
        break;
      case 3:
        cc::parse_connectors(item, "env-1", "lkc-1");
        break;
      case 4:
        cc::parse_schema_registry(item, "env-1");
        break;
      case 5:
        cc::parse_ksqldb_cluster(item, "env-1");
        break;
      case 6:
        cc::parse_flink_compute_pool(item, "env-1");
        break;
      case 7:
        cc::parse_flink_statement(item, "env-1", "org-1");
        break;
      case 8:
        cc::parse_service_account(item);
        break;
      case 9:
        cc::parse_user(item);
        break;
      case 10:
        cc::parse_api_key(item);
        break;
      case 11:
        cc::parse_identity_provider(item);
        break;
      case 12:
        cc::parse_identity_pool(item, "op-1");
        break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace cc = chitragupt::ccloud;
  if (size == 0) return 0;
  const std::uint8_t which = data[0];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (which >= 0xF0) {
    cc::query_param_of(text, "page_token");
    return 0;
  }
  const bool billing = which >= 0x80;
  auto body = cc::parse_json(text, billing ? NumberMode::exact_text : NumberMode::doubles);
  if (!body) return 0;
  json items = page_items(*body);
  if (!billing) {
    map_objects(items, which);
    // A connectors?expand= answer is an object by connector name, not a page.
    if (which % 13 == 3) cc::parse_connectors(*body, "env-1", "lkc-1");
    return 0;
  }
  cc::BillingWindow window{"2026-01-01", "2026-01-02", {}};
  for (std::size_t i = 0; i < items.size(); ++i) window.rows.push_back({items[i], i});
  for (const auto& line : cc::billing_lines(window)) {
    FUZZ_CHECK(cc::canonical_decimal(line.quantity).has_value(), "quantity is not decimal");
    // A non-numeric amount is kept as its raw text on purpose (the calculate stage reports it),
    // also when it is one pricing tier of a merged line.
    bool amount_is_number =
        !line.metadata.contains("amount_raw") && !line.metadata.contains("malformed");
    if (auto tiers = line.metadata.find("tiers"); tiers != line.metadata.end()) {
      for (const auto& tier : *tiers) {
        const auto& cost = tier["cost"];
        amount_is_number = amount_is_number && cost.is_string() &&
                           cc::canonical_decimal(cost.get<std::string>()).has_value();
      }
    }
    FUZZ_CHECK(!amount_is_number || cc::canonical_decimal(line.total_cost).has_value(),
               "total_cost is not decimal though every amount was a number");
  }
  return 0;
}
