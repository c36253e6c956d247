#include "emitters/chargeback_rows.hpp"

#include <map>
#include <tuple>

namespace chitragupt::emitters {

Result<std::vector<EmittedRow>> read_chargeback_rows(
    storage::Database& db, const std::string& ecosystem, const std::string& tenant_id,
    const std::string& first_date, const std::string& end_date, Aggregation aggregation) {
  auto rows = db.query(
      "SELECT f.timestamp, d.resource_id, d.product_category, d.product_type, d.identity_id, "
      "d.cost_type, f.amount, d.allocation_method, d.allocation_detail FROM chargeback_facts f "
      "JOIN chargeback_dimensions d ON d.dimension_id = f.dimension_id WHERE d.ecosystem = ? AND "
      "d.tenant_id = ? AND f.timestamp >= ? AND f.timestamp < ? ORDER BY f.timestamp, "
      "d.resource_id, d.product_category, d.product_type, d.identity_id, d.cost_type, "
      "d.allocation_method, d.allocation_detail",
      {ecosystem, tenant_id, first_date + " 00:00:00", end_date + " 00:00:00"});
  if (!rows) return Status::error("reading chargeback rows: " + rows.error());
  std::vector<EmittedRow> out;
  if (aggregation == Aggregation::hourly || aggregation == Aggregation::none) {
    out.reserve(rows->size());
    for (const auto& r : *rows) {
      out.push_back({r.get_text(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4),
                     r.get_text(5), r.get_int(6), r.get_text(7), r.get_text(8)});
    }
    return out;
  }
  using Key =
      std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>;
  std::map<Key, EmittedRow> groups;
  for (const auto& r : *rows) {
    std::string ts = r.get_text(0);
    std::string bucket = aggregation == Aggregation::daily ? ts.substr(0, 10) + " 00:00:00"
                                                           : ts.substr(0, 7) + "-01 00:00:00";
    Key key{bucket, r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4), r.get_text(5)};
    auto [it, fresh] = groups.try_emplace(key);
    EmittedRow& g = it->second;
    if (fresh) {
      g.timestamp = bucket;
      g.resource_id = std::get<1>(key);
      g.product_category = std::get<2>(key);
      g.product_type = std::get<3>(key);
      g.identity_id = std::get<4>(key);
      g.cost_type = std::get<5>(key);
    }
    g.amount_units += r.get_int(6);
    std::string method = r.get_text(7);
    if (method > g.allocation_method) g.allocation_method = method;
  }
  out.reserve(groups.size());
  for (auto& [key, row] : groups) out.push_back(std::move(row));
  return out;
}

}  // namespace chitragupt::emitters
