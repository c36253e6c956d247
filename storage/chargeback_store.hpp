#pragma once
// Chargeback rows of one tenant: dimensions (get-or-create, cached) and per-date facts.
// Rows that share a dimension and timestamp are summed, never overwritten.

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/status.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"
#include "storage/rollup_store.hpp"

namespace chitragupt::storage {

// A date's rows as replace_date writes them, made by ChargebackStore::prepare on any thread:
// timestamps numbered, each row's dimension looked up in the store's cache, and (when every
// dimension was known) sorted in key order with rows of one key summed.
struct PreparedFacts {
  struct Fact {
    std::uint32_t stamp;        // index into stamps
    std::uint32_t fresh;        // index into fresh, when dimension_id is 0
    std::int64_t dimension_id;  // 0: not in the cache when prepared
    std::int64_t amount;        // 0.0001 units
  };
  std::vector<std::string> stamps;  // the rows' distinct timestamps, ascending
  std::vector<Fact> facts;
  std::vector<ChargebackFactRecord> fresh;  // each dimension the cache lacked, once
  std::uint64_t generation = 0;             // the cache's, when prepared
};

class ChargebackStore {
 public:
  ChargebackStore(Database& db, std::string ecosystem, std::string tenant_id)
      : db_(db), ecosystem_(ecosystem), tenant_id_(tenant_id), rollup_(db, ecosystem, tenant_id) {}

  // Deletes the facts of `date` (UTC day) and writes `rows` in their place, and the date's
  // daily rollup with them (storage/rollup_store.hpp). Run it inside the caller's transaction.
  // Returns the number of fact rows written.
  Result<std::int64_t> replace_date(const std::string& date,
                                    const std::vector<ChargebackFactRecord>& rows);
  // The same for rows prepare() made ready. Facts prepared before the last
  // transaction_rolled_back() may name dimensions that are gone: they are refused.
  Result<std::int64_t> replace_date_prepared(const std::string& date, PreparedFacts&& prepared);
  // The work of replace_date that needs no database, for another thread than the one writing:
  // safe to call while this store writes (it only reads the dimension cache, under a lock).
  PreparedFacts prepare(const std::vector<ChargebackFactRecord>& rows) const;
  // Reads the tenant's dimensions into the cache now rather than at the first write, so that
  // prepare() finds them from the start.
  Status load_dimensions();
  // Dimensions created since the last call are only real once the caller's transaction has
  // committed: tell the store which way it went so its cache stays true.
  void transaction_committed() { created_.clear(); }
  void transaction_rolled_back();
  // Sum of the fact amounts (0.0001 units) whose timestamp falls on `date`.
  Result<std::int64_t> total_units_for_date(const std::string& date);

 private:
  // The row's dimension as one string, every field length-prefixed so no two dimensions share
  // an encoding; written into `key` (no allocation per row once it has grown).
  static void encode_dimension(const ChargebackFactRecord& row, std::string& key);
  void encode_dimension(const ChargebackFactRecord& row) { encode_dimension(row, key_); }
  // A dimension another writer made, by its columns (cached).
  Result<std::int64_t> find_dimension(const ChargebackFactRecord& row);
  Params dimension_params(const ChargebackFactRecord& row) const;  // ecosystem, tenant, columns
  // Every row's dimension id, the missing dimensions created first.
  Result<std::vector<std::int64_t>> dimension_ids(const std::vector<ChargebackFactRecord>& rows);
  // Inserts these dimensions (all missing from the cache) and caches their ids.
  Status create_dimensions(const std::vector<const ChargebackFactRecord*>& fresh);
  // Caches (dimension_id, columns...) rows; created_here: made in the open transaction.
  void cache_dimensions(const std::vector<Row>& rows, bool created_here);

  Database& db_;
  std::string ecosystem_;
  std::string tenant_id_;
  // Cache by encoded dimension; ids never change once committed. Only the writing thread
  // changes it, under the unique lock; prepare() reads it under a shared one.
  mutable std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, std::int64_t> dimensions_;
  std::uint64_t generation_ = 0;      // rollbacks so far
  bool loaded_ = false;               // dimensions_ holds every committed dimension of the tenant
  std::vector<std::string> created_;  // created in the open transaction
  std::int64_t max_id_ = 0;           // the highest dimension id in the cache
  std::int64_t max_id_before_created_ = 0;
  std::string key_;  // the dimension being looked up
  static constexpr std::size_t kFactsPerInsert = 64;
  Params fact_params_;                       // reused for every one-row fact insert
  Params chunk_params_;                      // reused for every kFactsPerInsert-row insert
  std::vector<std::uint32_t> chunk_stamps_;  // the stamp in each of its timestamp slots
  std::unique_ptr<Statement> insert_fact_;
  std::unique_ptr<Statement> insert_facts_;
  std::unique_ptr<Statement> find_dimension_;
  std::unique_ptr<Statement> insert_dimension_;
  RollupStore rollup_;
  std::vector<RollupSum> sums_;  // the date's rollup, reused
};

// "YYYY-MM-DD" -> the UTC day's bounds as stored timestamps: ["D 00:00:00", "D+1 00:00:00").
std::pair<std::string, std::string> day_bounds(const std::string& date);

}  // namespace chitragupt::storage
