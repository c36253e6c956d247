#include "sim/org_model.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "sim/random.hpp"
#include "sim/sim_time.hpp"

namespace ccloud_sim {

int64_t Lifetime::active_seconds(int64_t from, int64_t to) const {
  const int64_t start = std::max(from, created_at);
  const int64_t end = deleted_at ? std::min(to, *deleted_at) : to;
  return end > start ? end - start : 0;
}

namespace {

template <typename T>
const T* find_by_id(const std::vector<T>& items, const std::string& id) {
  for (const auto& item : items) {
    if (item.id == id) return &item;
  }
  return nullptr;
}

}  // namespace

const Environment* OrgModel::environment(const std::string& id) const {
  return find_by_id(environments, id);
}
const KafkaCluster* OrgModel::kafka_cluster(const std::string& id) const {
  return find_by_id(kafka_clusters, id);
}
const FlinkPool* OrgModel::flink_pool(const std::string& id) const {
  return find_by_id(flink_pools, id);
}
const IdentityProvider* OrgModel::identity_provider(const std::string& id) const {
  return find_by_id(identity_providers, id);
}

namespace {

struct PresetSize {
  int environments, kafka_clusters, service_accounts, users, identity_providers, identity_pools;
  int keys_per_cluster, connectors, ksqldb_clusters, flink_pools, flink_statements;
  int topics_per_cluster, principals_per_cluster;
};

PresetSize size_of(Preset preset) {
  switch (preset) {
    case Preset::kSmall:
      return {2, 3, 12, 6, 1, 2, 4, 5, 1, 2, 6, 6, 6};
    case Preset::kMedium:
      return {4, 10, 120, 70, 2, 8, 12, 24, 3, 4, 30, 12, 20};
    case Preset::kLarge:
      return {8, 20, 1300, 650, 4, 40, 50, 80, 8, 10, 120, 30, 100};
  }
  return {2, 3, 12, 6, 1, 2, 4, 5, 1, 2, 6, 6, 6};
}

const std::vector<std::string> kTeams = {
    "payments",  "orders",  "inventory", "search",      "fraud",     "analytics", "checkout",
    "identity",  "billing", "shipping",  "ml-platform", "marketing", "ledger",    "catalog",
    "messaging", "risk",    "pricing",   "customer",    "logistics", "reporting"};
const std::vector<std::string> kRoles = {"producer", "consumer", "etl",     "streams", "connect",
                                         "api",      "backfill", "monitor", "cdc",     "sync"};
const std::vector<std::string> kFirstNames = {
    "Asha",   "Ben",   "Chen", "Divya",  "Elena",  "Farid",  "Grace", "Hiro",  "Ines",
    "Jonas",  "Kavya", "Liam", "Maya",   "Nikhil", "Olga",   "Pablo", "Quinn", "Rosa",
    "Sanjay", "Tara",  "Uma",  "Victor", "Wen",    "Ximena", "Yusuf", "Zoe"};
const std::vector<std::string> kLastNames = {
    "Verma",  "Okafor", "Schmidt", "Tanaka",   "Silva",     "Novak",   "Haddad",
    "Kim",    "Rossi",  "Nguyen",  "Andersen", "Costa",     "Ivanova", "Mensah",
    "Dubois", "Patel",  "Larsen",  "Moreau",   "Chowdhury", "Garcia"};
const std::vector<std::string> kEnvironmentNames = {"production",    "staging", "development",
                                                    "analytics",     "sandbox", "shared-services",
                                                    "data-platform", "edge"};
const std::vector<std::pair<std::string, std::string>> kRegions = {
    {"AWS", "us-east-1"},    {"AWS", "us-west-2"}, {"GCP", "us-central1"},
    {"AZURE", "westeurope"}, {"AWS", "eu-west-1"}, {"GCP", "europe-west1"}};
const std::vector<std::string> kTopicStems = {
    "orders",        "payments",       "clickstream",    "inventory-updates",
    "user-events",   "audit",          "shipments",      "prices",
    "sessions",      "alerts",         "metrics",        "notifications",
    "refunds",       "ledger-entries", "search-queries", "recommendations",
    "fraud-signals", "invoices",       "carts",          "profiles"};
const std::vector<std::string> kSourceClasses = {"PostgresCdcSourceV2", "MySqlCdcSourceV2",
                                                 "DatagenSource", "MongoDbAtlasSource",
                                                 "SalesforceCdcSource"};
const std::vector<std::string> kSinkClasses = {"S3_SINK", "SnowflakeSink", "BigQueryStorageSink",
                                               "ElasticsearchSink", "HttpSinkV2"};
const std::vector<std::string> kKinds = {"Dedicated", "Standard", "Basic", "Enterprise"};
const std::vector<std::string> kProviders = {"Okta", "Azure AD", "Auth0", "Keycloak"};

const char kLowerAlnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
const char kUpperAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const char kMixedAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const char kHex[] = "0123456789abcdef";

// Unique ids in the formats Confluent Cloud uses (env-…, lkc-…, sa-…, 16-character API keys).
class IdMaker {
 public:
  explicit IdMaker(uint64_t seed) : rng_(seed, "ids") {}

  std::string make(const std::string& prefix, size_t length, const char* alphabet,
                   size_t alphabet_size) {
    for (;;) {
      std::string id = prefix;
      for (size_t i = 0; i < length; ++i) id += alphabet[rng_.below(alphabet_size)];
      if (used_.insert(id).second) return id;
    }
  }
  std::string lower(const std::string& prefix, size_t length = 6) {
    return make(prefix, length, kLowerAlnum, sizeof kLowerAlnum - 1);
  }
  std::string api_key() { return make("", 16, kUpperAlnum, sizeof kUpperAlnum - 1); }
  std::string pool() { return make("pool-", 4, kMixedAlnum, sizeof kMixedAlnum - 1); }
  std::string uuid() {
    std::string hex = make("", 32, kHex, 16);
    hex[12] = '4';
    hex[16] = kHex[8 + (hex[16] % 4)];
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
  }

 private:
  Rng rng_;
  std::set<std::string> used_;
};

struct Window {
  int64_t start, end;
};

// Lifetimes: children are born after their parent and die no later than it.
class LifeMaker {
 public:
  LifeMaker(Rng& rng, Window window) : rng_(rng), w_(window) {}

  Lifetime make(const Lifetime* parent, bool born_inside, bool dies_inside) {
    const int64_t floor =
        parent ? parent->created_at + kSecondsPerHour : w_.start - 730 * kSecondsPerDay;
    const int64_t parent_end = parent && parent->deleted_at ? *parent->deleted_at : w_.end;
    Lifetime life;
    int64_t lo = 0, hi = 0;
    if (!born_inside && floor < w_.start - kSecondsPerDay) {
      lo = std::max(floor, w_.start - 400 * kSecondsPerDay);
      hi = w_.start - kSecondsPerHour;
    } else {
      lo = std::max(floor, w_.start);
      hi = std::min(parent_end - 3 * kSecondsPerHour, w_.start + (w_.end - w_.start) * 4 / 5);
      if (hi < lo) hi = lo;
    }
    life.created_at = rng_.between(lo, hi);
    if (dies_inside) {
      const int64_t dlo = std::max(life.created_at, w_.start) + kSecondsPerHour;
      const int64_t dhi = parent_end - kSecondsPerHour;
      if (dhi >= dlo) life.deleted_at = rng_.between(dlo, dhi);
    }
    if (parent && parent->deleted_at &&
        (!life.deleted_at || *life.deleted_at > *parent->deleted_at)) {
      life.deleted_at = parent->deleted_at;
    }
    if (life.deleted_at && *life.deleted_at <= life.created_at) {
      life.created_at = *life.deleted_at - 60;
    }
    return life;
  }

  // Created and deleted before the window: never listed, only referenced (dangling owners).
  Lifetime gone_before_window() {
    Lifetime life;
    life.created_at =
        w_.start - rng_.between(200, 700) * kSecondsPerDay - rng_.between(0, kSecondsPerDay - 1);
    life.deleted_at =
        w_.start - rng_.between(1, 150) * kSecondsPerDay - rng_.between(0, kSecondsPerDay - 1);
    return life;
  }

 private:
  Rng& rng_;
  Window w_;
};

Lifetime later_of(const Lifetime& a, const Lifetime& b) {
  // A lifetime inside both: born after the later birth, dead at the earlier death.
  Lifetime life;
  life.created_at = std::max(a.created_at, b.created_at);
  if (a.deleted_at && b.deleted_at) {
    life.deleted_at = std::min(*a.deleted_at, *b.deleted_at);
  } else if (a.deleted_at) {
    life.deleted_at = a.deleted_at;
  } else if (b.deleted_at) {
    life.deleted_at = b.deleted_at;
  }
  return life;
}

std::string two_digit(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d", n);
  return buf;
}

int64_t magnitude(Rng& rng, int64_t min_exponent, int64_t max_exponent) {
  int64_t value = rng.between(1, 9);
  const int64_t exponent = rng.between(min_exponent, max_exponent);
  for (int64_t i = 0; i < exponent; ++i) value *= 10;
  return value;
}

class Generator {
 public:
  Generator(uint64_t seed, Preset preset, int64_t end_day, int days)
      : seed_(seed),
        size_(size_of(preset)),
        ids_(seed),
        rng_(seed, "org"),
        w_{(end_day - days) * kSecondsPerDay, end_day * kSecondsPerDay},
        life_(rng_, w_) {
    m_.seed = seed;
    m_.preset = preset;
    m_.start_day = end_day - days;
    m_.end_day = end_day;
    m_.window_start = w_.start;
    m_.window_end = w_.end;
  }

  OrgModel run() {
    organization();
    environments();
    kafka_clusters();
    service_accounts();
    users();
    identity_providers();
    schema_registries();
    api_keys();
    connectors();
    ksqldb_clusters();
    flink_pools();
    flink_statements();
    principals();
    return std::move(m_);
  }

 private:
  bool forced(int index, int wanted) const { return index == wanted; }

  void organization() {
    m_.organization.id = ids_.uuid();
    static const std::vector<std::string> kNames = {"Acme Corp", "Globex", "Initech",
                                                    "Umbrella Retail", "Stark Logistics"};
    m_.organization.display_name = rng_.pick(kNames);
    m_.organization.life.created_at = w_.start - 900 * kSecondsPerDay;
    m_.audit_log_cluster_id = ids_.lower("lkc-");
  }

  void environments() {
    const int n = size_.environments;
    for (int i = 0; i < n; ++i) {
      Environment env;
      env.id = ids_.lower("env-");
      env.display_name = kEnvironmentNames[static_cast<size_t>(i) % kEnvironmentNames.size()];
      env.governance_package = i % 2 == 0 ? "ADVANCED" : "ESSENTIALS";
      // Medium and large: the last environment appears during the window; large also loses one.
      const bool born_inside = m_.preset != Preset::kSmall && i == n - 1;
      const bool dies_inside = m_.preset == Preset::kLarge && i == n - 2;
      env.life = life_.make(&m_.organization.life, born_inside, dies_inside);
      m_.environments.push_back(env);
    }
  }

  void kafka_clusters() {
    const int n = size_.kafka_clusters;
    for (int i = 0; i < n; ++i) {
      KafkaCluster c;
      const auto& env = m_.environments[static_cast<size_t>(i) % m_.environments.size()];
      c.id = ids_.lower("lkc-");
      c.env_id = env.id;
      c.kind = kKinds[static_cast<size_t>(i) % kKinds.size()];
      const auto& region = kRegions[rng_.below(kRegions.size())];
      c.cloud = region.first;
      c.region = region.second;
      c.availability = c.kind == "Basic" ? "SINGLE_ZONE" : "MULTI_ZONE";
      c.network_access_type = c.kind == "Dedicated" && i % 8 == 4 ? "PRIVATE_LINK" : "INTERNET";
      c.cku = c.kind == "Dedicated" ? static_cast<int>(rng_.between(1, 4)) : 0;
      std::string cloud_lower = c.cloud;
      std::transform(cloud_lower.begin(), cloud_lower.end(), cloud_lower.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      c.endpoint_host =
          ids_.lower("pkc-", 5) + "." + c.region + "." + cloud_lower + ".confluent.cloud";
      c.display_name = rng_.pick(kTeams) + "-" + env.display_name + "-" + two_digit(i + 1);
      const bool born_inside = forced(i, n - 1) || rng_.chance(0.04);
      const bool dies_inside = (n >= 5 && forced(i, n - 2)) || (i > 0 && rng_.chance(0.03));
      c.life = life_.make(&env.life, born_inside, dies_inside);
      topics(c);
      m_.kafka_clusters.push_back(std::move(c));
    }
  }

  void topics(KafkaCluster& c) {
    std::set<std::string> names;
    Topic offsets;
    offsets.name = "__consumer_offsets";
    offsets.partitions = 50;
    offsets.weight = 1;
    offsets.retained_base = magnitude(rng_, 6, 8);
    offsets.retained_growth = 0;
    c.topics.push_back(offsets);
    names.insert(offsets.name);
    while (static_cast<int>(c.topics.size()) < size_.topics_per_cluster) {
      Topic t;
      t.name = rng_.pick(kTopicStems);
      if (rng_.chance(0.5)) t.name += ".v" + std::to_string(rng_.between(1, 3));
      if (!names.insert(t.name).second) {
        t.name = rng_.pick(kTeams) + "." + t.name;
        if (!names.insert(t.name).second) continue;
      }
      t.partitions = static_cast<int>(rng_.between(1, c.kind == "Dedicated" ? 60 : 12));
      t.weight = rng_.between(1, 100);
      if (rng_.chance(0.12)) {
        t.retained_base = 0;  // an empty topic: retained_bytes stays 0
        t.retained_growth = 0;
      } else {
        t.retained_base = magnitude(rng_, 7, 10);
        t.retained_growth = t.retained_base / rng_.between(500, 5000);
      }
      c.topics.push_back(t);
    }
  }

  void service_accounts() {
    const int n = size_.service_accounts;
    std::set<std::string> names;
    for (int i = 0; i < n; ++i) {
      ServiceAccount sa;
      sa.id = ids_.lower("sa-");
      std::string name;
      do {
        name =
            rng_.pick(kTeams) + "-" + rng_.pick(kRoles) + "-" + std::to_string(rng_.between(1, 99));
      } while (!names.insert(name).second);
      sa.display_name = name;
      sa.description = "Service account for the " + name + " workload";
      if (forced(i, 1) || (i > 3 && rng_.chance(0.03))) {
        sa.life = life_.gone_before_window();  // dangling owner of API keys and statements
      } else {
        const bool born_inside = forced(i, n - 1) || rng_.chance(0.05);
        const bool dies_inside = forced(i, 2) || (i > 3 && rng_.chance(0.04));
        sa.life = life_.make(&m_.organization.life, born_inside, dies_inside);
      }
      m_.service_accounts.push_back(sa);
    }
  }

  void users() {
    const int n = size_.users;
    std::set<std::string> emails;
    for (int i = 0; i < n; ++i) {
      User u;
      u.id = ids_.lower("u-");
      const std::string first = rng_.pick(kFirstNames);
      const std::string last = rng_.pick(kLastNames);
      u.full_name = first + " " + last;
      std::string local = first + "." + last;
      std::transform(local.begin(), local.end(), local.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      std::string email = local + "@example.com";
      for (int k = 2; !emails.insert(email).second; ++k) {
        email = local + std::to_string(k) + "@example.com";
      }
      u.email = email;
      u.auth_type = rng_.chance(0.7) ? "AUTH_TYPE_SSO" : "AUTH_TYPE_LOCAL";
      const bool born_inside = rng_.chance(0.05);
      const bool dies_inside = forced(i, 1) || (i > 2 && rng_.chance(0.04));
      u.life = life_.make(&m_.organization.life, born_inside, dies_inside);
      u.life.created_millis = static_cast<int>(rng_.below(1000));
      m_.users.push_back(u);
    }
  }

  void identity_providers() {
    for (int i = 0; i < size_.identity_providers; ++i) {
      IdentityProvider p;
      p.id = ids_.lower("op-", 5);
      const std::string& vendor = kProviders[static_cast<size_t>(i) % kProviders.size()];
      p.display_name = vendor + " " + (i == 0 ? "corporate" : "workloads-" + std::to_string(i));
      p.description = "OAuth provider for " + vendor + " issued tokens";
      const std::string tenant = ids_.lower("", 8);
      p.issuer = "https://" + tenant + ".idp.example.com/oauth2/default";
      p.jwks_uri = p.issuer + "/v1/keys";
      p.life = life_.make(&m_.organization.life, false, false);
      m_.identity_providers.push_back(p);
    }
    const int n = size_.identity_pools;
    for (int i = 0; i < n; ++i) {
      IdentityPool pool;
      const auto& provider =
          m_.identity_providers[static_cast<size_t>(i) % m_.identity_providers.size()];
      pool.id = ids_.pool();
      pool.provider_id = provider.id;
      const std::string team = rng_.pick(kTeams);
      pool.display_name = team + "-workloads-" + std::to_string(i + 1);
      pool.description = "Workload identities of the " + team + " team";
      pool.identity_claim = "claims.sub";
      pool.filter = "claims.aud == \"confluent\" && claims.group == \"" + team + "\"";
      const bool dies_inside = m_.preset != Preset::kSmall && forced(i, n - 1);
      pool.life = life_.make(&provider.life, rng_.chance(0.1), dies_inside);
      m_.identity_pools.push_back(pool);
    }
  }

  void schema_registries() {
    for (const auto& env : m_.environments) {
      SchemaRegistry sr;
      sr.id = ids_.lower("lsrc-", 5);
      sr.env_id = env.id;
      sr.display_name = "Stream Governance " + env.display_name;
      sr.package = env.governance_package;
      const auto& region = kRegions[rng_.below(kRegions.size())];
      sr.cloud = region.first;
      sr.region = region.second;
      std::string cloud_lower = sr.cloud;
      std::transform(cloud_lower.begin(), cloud_lower.end(), cloud_lower.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      sr.endpoint = "https://" + ids_.lower("psrc-", 5) + "." + sr.region + "." + cloud_lower +
                    ".confluent.cloud";
      sr.schemas = static_cast<int>(rng_.between(20, 400));
      sr.rules = sr.package == "ADVANCED" ? static_cast<int>(rng_.between(5, 20)) : 0;
      sr.life = life_.make(&env.life, false, false);
      m_.schema_registries.push_back(sr);
    }
  }

  const ServiceAccount& live_service_account() {
    for (;;) {
      const auto& sa = rng_.pick(m_.service_accounts);
      if (!sa.life.deleted_at || *sa.life.deleted_at >= w_.start) return sa;
    }
  }
  const ServiceAccount& dangling_service_account() {
    for (const auto& sa : m_.service_accounts) {
      if (sa.life.deleted_at && *sa.life.deleted_at < w_.start) return sa;
    }
    return m_.service_accounts.front();
  }

  ApiKey new_key(const std::string& owner_id, const std::string& owner_kind,
                 const Lifetime& owner_life, const std::string& resource_id,
                 const std::string& resource_kind, const std::string& resource_env,
                 const Lifetime& resource_life, bool dangling_owner) {
    ApiKey key;
    key.id = ids_.api_key();
    key.owner_id = owner_id;
    key.owner_kind = owner_kind;
    key.resource_id = resource_id;
    key.resource_kind = resource_kind;
    key.resource_env_id = resource_env;
    key.display_name = rng_.chance(0.5) ? "" : rng_.pick(kTeams) + "-" + rng_.pick(kRoles);
    key.description = rng_.chance(0.3) ? "" : "Key for " + resource_id;
    // A dangling owner was deleted before the window; its key lives on, "ownerless".
    const Lifetime parent = dangling_owner ? resource_life : later_of(owner_life, resource_life);
    key.life = life_.make(&parent, rng_.chance(0.08), rng_.chance(0.08));
    key.life.created_millis = static_cast<int>(rng_.below(1000));
    return key;
  }

  void api_keys() {
    for (size_t ci = 0; ci < m_.kafka_clusters.size(); ++ci) {
      const auto& cluster = m_.kafka_clusters[ci];
      for (int k = 0; k < size_.keys_per_cluster; ++k) {
        const uint64_t roll = rng_.below(100);
        if ((ci == 0 && k == 1) || roll < 6) {
          const auto& sa = dangling_service_account();
          m_.api_keys.push_back(new_key(sa.id, "ServiceAccount", sa.life, cluster.id, "Cluster",
                                        cluster.env_id, cluster.life, true));
        } else if (roll < 24) {
          const auto& user = rng_.pick(m_.users);
          m_.api_keys.push_back(new_key(user.id, "User", user.life, cluster.id, "Cluster",
                                        cluster.env_id, cluster.life, false));
        } else {
          const auto& sa = live_service_account();
          m_.api_keys.push_back(new_key(sa.id, "ServiceAccount", sa.life, cluster.id, "Cluster",
                                        cluster.env_id, cluster.life, false));
        }
      }
    }
    for (const auto& sr : m_.schema_registries) {
      for (int k = 0; k < 2; ++k) {
        const auto& sa = live_service_account();
        m_.api_keys.push_back(new_key(sa.id, "ServiceAccount", sa.life, sr.id, "SchemaRegistry",
                                      sr.env_id, sr.life, false));
      }
    }
    const int cloud_keys = 2 + size_.kafka_clusters / 5;
    for (int k = 0; k < cloud_keys; ++k) {
      if (k % 2 == 0) {
        const auto& user = rng_.pick(m_.users);
        m_.api_keys.push_back(
            new_key(user.id, "User", user.life, "cloud", "Cloud", "", user.life, false));
      } else {
        const auto& sa = live_service_account();
        m_.api_keys.push_back(
            new_key(sa.id, "ServiceAccount", sa.life, "cloud", "Cloud", "", sa.life, false));
      }
    }
  }

  std::vector<const ApiKey*> keys_of(const std::string& resource_id) const {
    std::vector<const ApiKey*> keys;
    for (const auto& key : m_.api_keys) {
      if (key.resource_id == resource_id) keys.push_back(&key);
    }
    return keys;
  }

  void connectors() {
    const int n = size_.connectors;
    std::set<std::string> names;
    for (int i = 0; i < n; ++i) {
      Connector c;
      const auto& cluster = m_.kafka_clusters[static_cast<size_t>(i) % m_.kafka_clusters.size()];
      c.id = ids_.lower("lcc-", 5);
      c.cluster_id = cluster.id;
      c.env_id = cluster.env_id;
      c.direction = rng_.chance(0.5) ? "source" : "sink";
      c.custom = forced(i, 3);
      if (c.custom) {
        c.connector_class = "com.example.kafka.connect.WarehouseSink";
        c.direction = "sink";
      } else {
        c.connector_class = rng_.pick(c.direction == "source" ? kSourceClasses : kSinkClasses);
      }
      std::string name;
      do {
        name = rng_.pick(kTeams) + "-" + c.direction + "-" + std::to_string(rng_.between(1, 99));
      } while (!names.insert(name).second);
      c.name = name;
      c.tasks = static_cast<int>(rng_.between(1, 4));
      const uint64_t state_roll = rng_.below(100);
      c.state = state_roll < 82   ? "RUNNING"
                : state_roll < 90 ? "PAUSED"
                : state_roll < 96 ? "FAILED"
                                  : "PROVISIONING";
      // Credentials: real key, masked key, key that matches nothing, or a service account.
      uint64_t auth_roll = rng_.below(100);
      if (i < 5) auth_roll = std::vector<uint64_t>{0, 45, 80, 10, 58}[static_cast<size_t>(i)];
      const auto keys = keys_of(cluster.id);
      if (auth_roll < 40 && !keys.empty()) {
        c.auth_mode = "KAFKA_API_KEY";
        c.api_key = keys[rng_.below(keys.size())]->id;
        c.explicit_auth_mode = rng_.chance(0.5);
      } else if (auth_roll < 55) {
        c.auth_mode = "KAFKA_API_KEY";
        c.api_key = "****************";
        c.explicit_auth_mode = rng_.chance(0.5);
      } else if (auth_roll < 62) {
        c.auth_mode = "KAFKA_API_KEY";
        c.api_key = ids_.api_key();  // never issued: the key lookup finds nothing
        c.explicit_auth_mode = false;
      } else {
        c.auth_mode = "SERVICE_ACCOUNT";
        c.explicit_auth_mode = true;
        c.api_key = "****************";  // the API masks it; the mode decides
        c.service_account_id =
            rng_.chance(0.1) ? dangling_service_account().id : live_service_account().id;
      }
      const bool born_inside = forced(i, 0) || rng_.chance(0.08);
      const bool dies_inside = forced(i, 0) || forced(i, 1) || rng_.chance(0.06);
      c.life = life_.make(&cluster.life, born_inside, dies_inside);
      m_.connectors.push_back(c);
    }
  }

  void ksqldb_clusters() {
    const int n = size_.ksqldb_clusters;
    for (int i = 0; i < n; ++i) {
      KsqlCluster k;
      const auto& cluster =
          m_.kafka_clusters[static_cast<size_t>(i * 3) % m_.kafka_clusters.size()];
      k.id = ids_.lower("lksqlc-", 5);
      k.kafka_cluster_id = cluster.id;
      k.env_id = cluster.env_id;
      k.display_name = "ksql-" + rng_.pick(kTeams) + "-" + std::to_string(i + 1);
      static const std::vector<int> kCsu = {1, 2, 4, 8, 12};
      k.csu = rng_.pick(kCsu);
      const uint64_t roll = forced(i, 1) ? 95 : rng_.below(100);
      if (roll < 70) {
        k.credential_identity_id = live_service_account().id;
      } else if (roll < 90) {
        k.credential_identity_id = rng_.pick(m_.users).id;
      } else {
        k.credential_identity_id = dangling_service_account().id;
      }
      k.life = life_.make(&cluster.life, rng_.chance(0.1), i > 0 && rng_.chance(0.1));
      m_.ksqldb_clusters.push_back(k);
    }
  }

  void flink_pools() {
    for (int i = 0; i < size_.flink_pools; ++i) {
      FlinkPool p;
      const auto& env = m_.environments[static_cast<size_t>(i) % m_.environments.size()];
      p.id = ids_.lower("lfcp-", 5);
      p.env_id = env.id;
      const auto& region = kRegions[rng_.below(kRegions.size())];
      p.cloud = region.first;
      p.region = region.second;
      static const std::vector<int> kMaxCfu = {5, 10, 20, 30, 40, 50};
      p.max_cfu = rng_.pick(kMaxCfu);
      p.display_name = "flink-" + rng_.pick(kTeams) + "-" + std::to_string(i + 1);
      p.life = life_.make(&env.life, rng_.chance(0.1), false);
      m_.flink_pools.push_back(p);
    }
  }

  void flink_statements() {
    static const std::vector<std::string> kVerbs = {"enrich", "aggregate", "join",   "dedupe",
                                                    "filter", "route",     "window", "mask"};
    const int n = size_.flink_statements;
    std::set<std::string> names;
    for (int i = 0; i < n; ++i) {
      FlinkStatement s;
      const auto& pool = m_.flink_pools[static_cast<size_t>(i) % m_.flink_pools.size()];
      s.pool_id = pool.id;
      s.env_id = pool.env_id;
      s.uid = ids_.uuid();
      std::string name;
      do {
        name = rng_.pick(kTeams) + "-" + rng_.pick(kVerbs) + "-" + ids_.lower("", 5);
      } while (!names.insert(name).second);
      s.name = name;
      const std::string table = rng_.pick(kTopicStems);
      s.sql = "INSERT INTO `" + table + "_" + rng_.pick(kVerbs) + "ed` SELECT * FROM `" + table +
              "` WHERE `amount` > " + std::to_string(rng_.between(0, 500)) + ";";
      const uint64_t owner_roll = forced(i, 2) ? 95 : rng_.below(100);
      if (owner_roll < 70) {
        s.principal = live_service_account().id;
      } else if (owner_roll < 90) {
        s.principal = rng_.pick(m_.users).id;
      } else {
        s.principal = dangling_service_account().id;
      }
      // The first statement of every pool runs through the whole window.
      const bool steady = i < static_cast<int>(m_.flink_pools.size());
      uint64_t phase_roll = steady ? 0 : rng_.below(100);
      if (i == static_cast<int>(m_.flink_pools.size())) phase_roll = 70;  // one COMPLETED
      s.phase = phase_roll < 60   ? "RUNNING"
                : phase_roll < 75 ? "COMPLETED"
                : phase_roll < 85 ? "FAILED"
                : phase_roll < 95 ? "STOPPED"
                                  : "PENDING";
      s.cfu = static_cast<int>(rng_.between(1, std::max(1, pool.max_cfu / 4)));
      const bool dies_inside = !steady && (forced(i, n - 1) || rng_.chance(0.08));
      s.life = life_.make(&pool.life, !steady && rng_.chance(0.3), dies_inside);
      s.running_from = s.life.created_at;
      const int64_t end = s.life.end_or(w_.end);
      if (s.phase == "RUNNING") {
        s.running_until = end;
      } else if (s.phase == "PENDING") {
        s.running_until = s.running_from;
      } else {
        // Stopped statements mostly stop during the window, so they bill for some days.
        const int64_t lo = std::max(s.running_from + kSecondsPerHour,
                                    rng_.chance(0.8) ? w_.start : s.running_from);
        s.running_until = std::min(rng_.between(lo, std::max(lo, end)), end);
      }
      m_.flink_statements.push_back(s);
    }
  }

  struct Candidate {
    std::string id;
    int64_t from, to;
  };

  void principals() {
    Rng rng(seed_, "principals");
    std::map<std::string, Lifetime> owner_life;
    for (const auto& sa : m_.service_accounts) owner_life[sa.id] = sa.life;
    for (const auto& u : m_.users) owner_life[u.id] = u.life;
    for (size_t ci = 0; ci < m_.kafka_clusters.size(); ++ci) {
      const auto& cluster = m_.kafka_clusters[ci];
      const int64_t cluster_end = cluster.life.end_or(w_.end);
      std::map<std::string, Candidate> chosen;
      auto add = [&](const std::string& id, const Lifetime& life) {
        const int64_t from = std::max(cluster.life.created_at, life.created_at);
        const int64_t to = std::min(cluster_end, life.end_or(w_.end));
        auto it = chosen.find(id);
        if (it == chosen.end()) {
          chosen[id] = Candidate{id, from, to};
        } else {
          it->second.from = std::min(it->second.from, from);
          it->second.to = std::max(it->second.to, to);
        }
      };
      for (const auto* key : keys_of(cluster.id)) {
        const Lifetime& owner = owner_life[key->owner_id];
        const bool owner_gone = owner.deleted_at && *owner.deleted_at < w_.start;
        if (owner_gone || rng.chance(0.2)) {
          add(key->id, key->life);  // the telemetry names the key itself
        } else {
          add(key->owner_id, later_of(owner, key->life));
        }
      }
      if (!m_.identity_pools.empty() && (ci == 0 || rng.chance(0.35))) {
        const auto& pool = rng.pick(m_.identity_pools);
        add(pool.id, pool.life);
      }
      for (int guard = 0; static_cast<int>(chosen.size()) < size_.principals_per_cluster &&
                          guard < 10 * size_.principals_per_cluster;
           ++guard) {
        if (rng.chance(0.25)) {
          const auto& u = rng.pick(m_.users);
          add(u.id, u.life);
        } else {
          const auto& sa = rng.pick(m_.service_accounts);
          if (sa.life.deleted_at && *sa.life.deleted_at < w_.start) continue;
          add(sa.id, sa.life);
        }
      }
      for (auto& [id, candidate] : chosen) {
        UsagePrincipal p;
        p.id = id;
        p.cluster = ci;
        p.active_from = candidate.from;
        p.active_to = candidate.to;
        if (rng.chance(0.1)) {  // goes quiet part-way through the window
          const int64_t quiet = rng.between(w_.start, w_.end);
          p.active_to = std::min(p.active_to, quiet);
        }
        p.key = hash_of(seed_, "principal", ci, hash_text(id));
        const uint64_t shape = rng.below(100);
        p.base_in = shape < 15 ? 0 : magnitude(rng, 7, 9);    // 15 %: consumers only
        p.base_out = shape >= 75 ? 0 : magnitude(rng, 7, 9);  // 25 %: producers only
        p.idle_permille = rng.chance(0.2) ? 0 : rng.between(20, 350);
        m_.principals.push_back(p);
      }
    }
  }

  uint64_t seed_;
  PresetSize size_;
  IdMaker ids_;
  Rng rng_;
  Window w_;
  LifeMaker life_;
  OrgModel m_;
};

}  // namespace

OrgModel generate_org(uint64_t seed, Preset preset, int64_t end_day, int days) {
  return Generator(seed, preset, end_day, days).run();
}

}  // namespace ccloud_sim
