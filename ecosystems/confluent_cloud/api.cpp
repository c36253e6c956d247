#include "ecosystems/confluent_cloud/api.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <set>
#include <tuple>

namespace chitragupt::ccloud {
namespace {

using nlohmann::json;

// The value at a dotted path of plain object keys, or nullptr.
const json* at(const json& root, std::initializer_list<const char*> path) {
  const json* node = &root;
  for (const char* key : path) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end() || it->is_null()) return nullptr;
    node = &*it;
  }
  return node;
}

std::string str(const json& root, std::initializer_list<const char*> path) {
  const json* v = at(root, path);
  if (v == nullptr) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number_integer()) return v->dump();
  return "";
}

// Sets metadata[key] to the value at path when it is present.
void copy(json& metadata, const char* key, const json& root,
          std::initializer_list<const char*> path) {
  if (const json* v = at(root, path)) metadata[key] = *v;
}

void set_if(json& metadata, const char* key, const std::string& value) {
  if (!value.empty()) metadata[key] = value;
}

template <typename Record, typename Parse>
Result<std::vector<Record>> fetch_all(HttpClient& client, const std::string& path,
                                      const QueryParams& params, std::optional<int> page_size,
                                      Parse parse) {
  auto items = client.get_all_pages(path, params, page_size);
  if (!items) return items.status();
  std::vector<Record> out;
  out.reserve(items->size());
  for (const auto& item : *items) {
    if (!item.is_object()) continue;  // not an object: nothing to read
    Record record = parse(item);
    if (!record.id.empty()) out.push_back(std::move(record));
  }
  return out;
}

// The fields every listing item has: id, the name at `name_path`, metadata.created_at, and
// one metadata field, `key`, from `key_path` when present.
template <typename Record>
Record listed_record(const json& item, const char* type,
                     std::initializer_list<const char*> name_path, const char* key,
                     std::initializer_list<const char*> key_path) {
  Record r;
  r.id = str(item, {"id"});
  r.type = type;
  r.display_name = str(item, name_path);
  r.created_at = str(item, {"metadata", "created_at"});
  set_if(r.metadata, key, str(item, key_path));
  return r;
}

// Organization-level items: display_name, and metadata.resource_name (the CRN).
Resource named_resource(const json& item, const char* type) {
  return listed_record<Resource>(item, type, {"display_name"}, "resource_name",
                                 {"metadata", "resource_name"});
}

// The fields every environment-scoped cluster listing item (cmk, srcm, ksqldbcm, fcpm) has:
// id, spec.display_name, the environment (spec.environment.id, else the one listed, also as
// metadata.env_id), created_at and metadata.resource_name.
Resource environment_resource(const json& item, const char* type, const std::string& env_id) {
  auto r = listed_record<Resource>(item, type, {"spec", "display_name"}, "resource_name",
                                   {"metadata", "resource_name"});
  std::string env = str(item, {"spec", "environment", "id"});
  r.parent_id = env.empty() ? env_id : env;
  r.metadata["env_id"] = r.parent_id;
  return r;
}

// spec.cloud and spec.region, when present.
void copy_cloud_region(json& metadata, const json& item) {
  set_if(metadata, "cloud", str(item, {"spec", "cloud"}));
  set_if(metadata, "region", str(item, {"spec", "region"}));
}

// The fields every IAM listing item with a plain display_name has: id, display_name,
// created_at and description.
Identity described_identity(const json& item, const char* type) {
  return listed_record<Identity>(item, type, {"display_name"}, "description", {"description"});
}

}  // namespace

std::string connector_auth_mode(const json& config) {
  std::string mode = str(config, {"kafka.auth.mode"});
  if (!mode.empty()) return mode;
  if (at(config, {"kafka.api.key"}) != nullptr) return kAuthKafkaApiKey;
  if (at(config, {"kafka.service.account.id"}) != nullptr) return kAuthServiceAccount;
  return kAuthUnknown;
}

bool is_masked_api_key(const std::string& key) {
  return !key.empty() && key.find_first_not_of('*') == std::string::npos;
}

std::string organization_from_crn(const std::string& crn) {
  static const std::string kMarker = "organization=";
  size_t pos = crn.find(kMarker);
  while (pos != std::string::npos && pos > 0 && crn[pos - 1] != '/') {
    pos = crn.find(kMarker, pos + 1);
  }
  if (pos == std::string::npos) return "";
  size_t start = pos + kMarker.size();
  size_t end = crn.find('/', start);
  return crn.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool is_stopped_phase(const std::string& phase) {
  return phase == "COMPLETED" || phase == "FAILED" || phase == "STOPPED";
}

Resource parse_organization(const json& item) {
  return named_resource(item, resource_type::kOrganization);
}

Resource parse_environment(const json& item, const std::string& org_id) {
  Resource r = named_resource(item, resource_type::kEnvironment);
  r.parent_id = org_id;
  return r;
}

Resource parse_kafka_cluster(const json& item, const std::string& env_id) {
  Resource r = environment_resource(item, resource_type::kKafkaCluster, env_id);
  copy_cloud_region(r.metadata, item);
  set_if(r.metadata, "kafka_bootstrap_endpoint", str(item, {"spec", "kafka_bootstrap_endpoint"}));
  set_if(r.metadata, "availability", str(item, {"spec", "availability"}));
  set_if(r.metadata, "cluster_type", str(item, {"spec", "config", "kind"}));
  copy(r.metadata, "cku", item, {"spec", "config", "cku"});
  return r;
}

std::vector<Resource> parse_connectors(const json& by_name, const std::string& env_id,
                                       const std::string& cluster_id) {
  std::vector<Resource> out;
  if (!by_name.is_object()) return out;
  for (const auto& [name, item] : by_name.items()) {
    if (!item.is_object()) continue;
    static const json kNoConfig = json::object();
    const json* config_ptr = at(item, {"info", "config"});
    const json& config = config_ptr != nullptr && config_ptr->is_object() ? *config_ptr : kNoConfig;
    Resource r;
    std::string id = str(item, {"id", "id"});
    r.id = id.empty() ? name : id;
    r.type = resource_type::kConnector;
    std::string display = str(item, {"info", "name"});
    r.display_name = display.empty() ? name : display;
    r.parent_id = cluster_id;
    r.metadata["env_id"] = env_id;
    r.metadata["kafka_cluster_id"] = cluster_id;
    r.metadata["connector_name"] = name;
    r.metadata["kafka_auth_mode"] = connector_auth_mode(config);
    set_if(r.metadata, "connector_class", str(config, {"connector.class"}));
    std::string key = str(config, {"kafka.api.key"});
    if (at(config, {"kafka.api.key"}) != nullptr) {
      r.metadata["kafka_api_key"] = key;
      r.metadata["kafka_api_key_masked"] = is_masked_api_key(key);
    }
    set_if(r.metadata, "kafka_service_account_id", str(config, {"kafka.service.account.id"}));
    set_if(r.metadata, "state", str(item, {"status", "connector", "state"}));
    set_if(r.metadata, "connector_type", str(item, {"status", "type"}));
    out.push_back(std::move(r));
  }
  return out;
}

Resource parse_schema_registry(const json& item, const std::string& env_id) {
  Resource r = environment_resource(item, resource_type::kSchemaRegistry, env_id);
  copy_cloud_region(r.metadata, item);
  set_if(r.metadata, "http_endpoint", str(item, {"spec", "http_endpoint"}));
  set_if(r.metadata, "package", str(item, {"spec", "package"}));
  return r;
}

Resource parse_ksqldb_cluster(const json& item, const std::string& env_id) {
  Resource r = environment_resource(item, resource_type::kKsqldbCluster, env_id);
  std::string owner = str(item, {"spec", "credential_identity", "id"});
  r.owner_id = owner.empty() ? kKsqldbOwnerUnknown : owner;
  set_if(r.metadata, "kafka_cluster_id", str(item, {"spec", "kafka_cluster", "id"}));
  copy(r.metadata, "csu", item, {"spec", "csu"});
  return r;
}

Resource parse_flink_compute_pool(const json& item, const std::string& env_id) {
  Resource r = environment_resource(item, resource_type::kFlinkComputePool, env_id);
  copy_cloud_region(r.metadata, item);
  copy(r.metadata, "max_cfu", item, {"spec", "max_cfu"});
  set_if(r.metadata, "org_id", organization_from_crn(str(item, {"metadata", "resource_name"})));
  return r;
}

Resource parse_flink_statement(const json& item, const std::string& env_id,
                               const std::string& org_id) {
  Resource r;
  std::string name = str(item, {"name"});
  std::string uid = str(item, {"metadata", "uid"});
  r.id = uid.empty() ? name : uid;
  r.type = resource_type::kFlinkStatement;
  r.display_name = name;
  // The published schema has spec.compute_pool_id; the original read spec.compute_pool.id.
  std::string pool = str(item, {"spec", "compute_pool_id"});
  if (pool.empty()) pool = str(item, {"spec", "compute_pool", "id"});
  r.parent_id = pool;
  r.owner_id = str(item, {"spec", "principal"});
  r.created_at = str(item, {"metadata", "created_at"});
  std::string phase = str(item, {"status", "phase"});
  std::string env = str(item, {"environment_id"});
  r.metadata["env_id"] = env.empty() ? env_id : env;
  set_if(r.metadata, "org_id", org_id);
  r.metadata["statement_name"] = name;
  set_if(r.metadata, "compute_pool_id", pool);
  set_if(r.metadata, "principal", r.owner_id);
  set_if(r.metadata, "phase", phase);
  r.metadata["is_stopped"] = is_stopped_phase(phase);
  return r;
}

Identity parse_service_account(const json& item) {
  return described_identity(item, identity_type::kServiceAccount);
}

Identity parse_user(const json& item) {
  return listed_record<Identity>(item, identity_type::kUser, {"full_name"}, "resource_name",
                                 {"metadata", "resource_name"});
}

Identity parse_api_key(const json& item) {
  Identity i;
  i.id = str(item, {"id"});
  i.type = identity_type::kApiKey;
  std::string display = str(item, {"spec", "display_name"});
  i.display_name = display.empty() ? i.id : display;
  i.owner_id = str(item, {"spec", "owner", "id"});
  i.created_at = str(item, {"metadata", "created_at"});
  i.metadata["owner_id"] = i.owner_id;
  i.metadata["resource_id"] = str(item, {"spec", "resource", "id"});
  set_if(i.metadata, "resource_kind", str(item, {"spec", "resource", "kind"}));
  set_if(i.metadata, "description", str(item, {"spec", "description"}));
  return i;
}

Identity parse_identity_provider(const json& item) {
  return described_identity(item, identity_type::kIdentityProvider);
}

Identity parse_identity_pool(const json& item, const std::string& provider_id) {
  Identity i = described_identity(item, identity_type::kIdentityPool);
  i.parent_id = provider_id;
  i.metadata["provider_id"] = provider_id;
  return i;
}

Result<std::unique_ptr<CcloudApi>> CcloudApi::create(const CcloudSettings& settings,
                                                     HttpClientOptions tuning) {
  HttpClientOptions options = tuning;
  options.base_url = settings.ccloud_api.base_url;
  options.username = settings.ccloud_api.key;
  options.password = settings.ccloud_api.secret;
  options.request_timeout = std::chrono::seconds(settings.ccloud_api.request_timeout_seconds);
  options.max_retries = settings.ccloud_api.max_retries;
  auto client = HttpClient::create(options);
  if (!client) return Status::error("ccloud_api.base_url: " + client.error());
  return std::unique_ptr<CcloudApi>(new CcloudApi(settings, std::move(tuning), std::move(*client)));
}

CcloudApi::CcloudApi(CcloudSettings settings, HttpClientOptions tuning,
                     std::unique_ptr<HttpClient> client)
    : settings_(std::move(settings)),
      tuning_(std::move(tuning)),
      client_(std::move(client)),
      flink_clients_(settings_.flink.size()) {}

void CcloudApi::set_stop(const StopToken& stop) {
  tuning_.stop = stop;
  client_->set_stop(stop);
  for (auto& client : flink_clients_) {
    if (client) client->set_stop(stop);
  }
}

Result<std::vector<Resource>> CcloudApi::organizations() {
  return fetch_all<Resource>(*client_, "/org/v2/organizations", {}, std::nullopt,
                             [](const json& item) { return parse_organization(item); });
}

Result<std::vector<Resource>> CcloudApi::environments(const std::string& org_id) {
  return fetch_all<Resource>(*client_, "/org/v2/environments", {}, std::nullopt,
                             [&](const json& item) { return parse_environment(item, org_id); });
}

Result<std::vector<Resource>> CcloudApi::kafka_clusters(const std::string& env_id) {
  return fetch_all<Resource>(*client_, "/cmk/v2/clusters", {{"environment", env_id}}, std::nullopt,
                             [&](const json& item) { return parse_kafka_cluster(item, env_id); });
}

Result<std::vector<Resource>> CcloudApi::connectors(const std::string& env_id,
                                                    const std::string& cluster_id) {
  const std::string path = "/connect/v1/environments/" + percent_encode(env_id) + "/clusters/" +
                           percent_encode(cluster_id) + "/connectors";
  auto response = client_->get(path, {{"expand", "info,status,id"}});  // not paged
  if (!response) return response.status();
  if (!response->found) return std::vector<Resource>{};
  if (!response->body.is_object()) {
    return Status::error("GET " + client_->base_url().path_prefix + path +
                         ": expected an object keyed by connector name");
  }
  return parse_connectors(response->body, env_id, cluster_id);
}

Result<std::vector<Resource>> CcloudApi::schema_registries(const std::string& env_id) {
  return fetch_all<Resource>(*client_, "/srcm/v3/clusters", {{"environment", env_id}}, 50,
                             [&](const json& item) { return parse_schema_registry(item, env_id); });
}

Result<std::vector<Resource>> CcloudApi::ksqldb_clusters(const std::string& env_id) {
  return fetch_all<Resource>(*client_, "/ksqldbcm/v2/clusters", {{"environment", env_id}}, 100,
                             [&](const json& item) { return parse_ksqldb_cluster(item, env_id); });
}

Result<std::vector<Resource>> CcloudApi::flink_compute_pools(const std::string& env_id) {
  return fetch_all<Resource>(
      *client_, "/fcpm/v2/compute-pools", {{"environment", env_id}}, 50,
      [&](const json& item) { return parse_flink_compute_pool(item, env_id); });
}

Result<HttpClient*> CcloudApi::flink_client(size_t region_index) {
  if (!flink_clients_[region_index]) {
    const auto& region = settings_.flink[region_index];
    HttpClientOptions options = tuning_;
    options.base_url = region.effective_base_url();
    options.username = region.key;
    options.password = region.secret;
    options.request_timeout = std::chrono::seconds(settings_.ccloud_api.request_timeout_seconds);
    options.max_retries = settings_.ccloud_api.max_retries;
    auto client = HttpClient::create(options);
    if (!client) {
      return Status::error("flink[" + std::to_string(region_index) +
                           "].base_url: " + client.error());
    }
    flink_clients_[region_index] = std::move(*client);
  }
  return flink_clients_[region_index].get();
}

Result<std::vector<Resource>> CcloudApi::flink_statements(const std::vector<Resource>& pools) {
  // One listing per (region credentials, organization, environment), in first-seen order.
  std::vector<std::tuple<size_t, std::string, std::string>> targets;
  std::set<std::tuple<size_t, std::string, std::string>> seen;
  for (const auto& pool : pools) {
    const std::string cloud = str(pool.metadata, {"cloud"});
    const std::string region = str(pool.metadata, {"region"});
    const std::string org = str(pool.metadata, {"org_id"});
    std::string env = str(pool.metadata, {"env_id"});
    if (env.empty()) env = pool.parent_id;
    size_t index = settings_.flink.size();
    for (size_t i = 0; i < settings_.flink.size(); ++i) {
      if (settings_.flink[i].serves(cloud, region)) {
        index = i;
        break;
      }
    }
    if (index == settings_.flink.size()) continue;  // no credentials for that region
    if (org.empty() || env.empty()) {
      spdlog::warn("ccloud_flink_pool_skipped pool={} reason=\"no organization or environment\"",
                   pool.id);
      continue;
    }
    auto target = std::make_tuple(index, org, env);
    if (seen.insert(target).second) targets.push_back(target);
  }
  std::vector<Resource> out;
  std::set<std::string> ids;
  for (const auto& [index, org, env] : targets) {
    auto client = flink_client(index);
    if (!client) return client.status();
    const std::string path = "/sql/v1/organizations/" + percent_encode(org) + "/environments/" +
                             percent_encode(env) + "/statements";
    auto statements =
        fetch_all<Resource>(**client, path, {}, 50, [&, org = org, env = env](const json& item) {
          return parse_flink_statement(item, env, org);
        });
    if (!statements) return statements.status();
    for (auto& statement : *statements) {
      if (ids.insert(statement.id).second) out.push_back(std::move(statement));
    }
  }
  return out;
}

Result<std::vector<Identity>> CcloudApi::service_accounts() {
  return fetch_all<Identity>(*client_, "/iam/v2/service-accounts", {}, std::nullopt,
                             [](const json& item) { return parse_service_account(item); });
}

Result<std::vector<Identity>> CcloudApi::users() {
  return fetch_all<Identity>(*client_, "/iam/v2/users", {}, std::nullopt,
                             [](const json& item) { return parse_user(item); });
}

Result<std::vector<Identity>> CcloudApi::api_keys() {
  return fetch_all<Identity>(*client_, "/iam/v2/api-keys", {}, 100,
                             [](const json& item) { return parse_api_key(item); });
}

Result<std::vector<Identity>> CcloudApi::identity_providers() {
  return fetch_all<Identity>(*client_, "/iam/v2/identity-providers", {}, std::nullopt,
                             [](const json& item) { return parse_identity_provider(item); });
}

Result<std::vector<Identity>> CcloudApi::identity_pools(const std::string& provider_id) {
  return fetch_all<Identity>(
      *client_, "/iam/v2/identity-providers/" + percent_encode(provider_id) + "/identity-pools", {},
      std::nullopt, [&](const json& item) { return parse_identity_pool(item, provider_id); });
}

Result<std::vector<BillingWindow>> CcloudApi::billing(CivilDate start, CivilDate end) {
  std::vector<BillingWindow> windows;
  for (const auto& [from, to] : billing_windows(start, end, settings_.billing_api.days_per_query)) {
    BillingWindow window{from.to_string(), to.to_string(), {}};
    auto rows = client_->get_all_pages(
        "/billing/v1/costs", {{"start_date", window.start_date}, {"end_date", window.end_date}},
        2000, NumberMode::exact_text);
    if (!rows) return rows.status();
    window.rows.reserve(rows->size());
    for (size_t i = 0; i < rows->size(); ++i) window.rows.push_back({std::move((*rows)[i]), i});
    windows.push_back(std::move(window));
  }
  return windows;
}

Result<std::vector<BillingLine>> CcloudApi::billing_lines(CivilDate start, CivilDate end) {
  auto windows = billing(start, end);
  if (!windows) return windows.status();
  std::vector<BillingLine> lines;
  for (const auto& window : *windows) {
    auto window_lines = ccloud::billing_lines(window);
    for (auto& line : window_lines) lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace chitragupt::ccloud
