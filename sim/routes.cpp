#include "sim/routes.hpp"

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <functional>
#include <set>
#include <sstream>
#include <thread>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "sim/api_views.hpp"
#include "sim/paging.hpp"
#include "sim/sim_time.hpp"
#include "sim/telemetry_query.hpp"
#include "sim/truth.hpp"

namespace ccloud_sim {

namespace {

using httplib::Request;
using httplib::Response;
using json = nlohmann::json;
using Handler = std::function<void(const Request&, Response&)>;

std::atomic<uint64_t> g_request_counter{0};

std::string request_id() {
  char buf[48];
  std::snprintf(buf, sizeof buf, "sim-%012llx",
                static_cast<unsigned long long>(g_request_counter++));
  return buf;
}

void send_json(Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// The Failure envelope every Confluent Cloud API uses for errors.
void send_error(Response& res, int status, const std::string& code, const std::string& title,
                const std::string& detail, const std::string& parameter = "") {
  json error = {{"id", request_id()},
                {"status", std::to_string(status)},
                {"code", code},
                {"title", title},
                {"detail", detail}};
  if (!parameter.empty()) error["source"] = {{"parameter", parameter}};
  send_json(res, status, json{{"errors", json::array({error})}});
}

void send_not_found(Response& res, const std::string& detail) {
  send_error(res, 404, "not_found", "Not Found", detail);
}

std::optional<std::string> param(const Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  return req.get_param_value(name);
}

std::string base64_decode(const std::string& in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0;
  unsigned value = 0;
  for (char c : in) {
    if (c == '=') break;
    const auto pos = kAlphabet.find(c);
    if (pos == std::string::npos) return std::string();
    value = (value << 6) | static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 0xFF);
    }
  }
  return out;
}

bool authorized(const Request& req, const SimOptions& options) {
  const std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Basic ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return false;
  return base64_decode(header.substr(prefix.size())) == options.api_key + ":" + options.api_secret;
}

void send_fault(Response& res, const InjectedFault& fault) {
  if (fault.retry_after > 0) {
    res.set_header("Retry-After", std::to_string(fault.retry_after));
    res.set_header("rateLimit-reset", std::to_string(fault.retry_after));
    res.set_header("rateLimit-remaining", "0");
  }
  send_error(res, fault.status, fault.code, fault.title, fault.detail);
}

Handler guarded(const RouteContext& ctx, Handler inner, bool with_faults = true) {
  return [&ctx, inner = std::move(inner), with_faults](const Request& req, Response& res) {
    res.set_header("X-Request-Id", request_id());
    if (with_faults && ctx.faults.latency_ms() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(ctx.faults.latency_ms()));
    }
    if (with_faults) {
      if (auto fault = ctx.faults.throttle()) return send_fault(res, *fault);
    }
    if (!authorized(req, ctx.options)) {
      res.set_header("WWW-Authenticate",
                     "Basic error=\"invalid_key\", error_description=\"The API Key is invalid\"");
      return send_error(res, 401, "user_unauthenticated", "Authentication Required",
                        "Valid authentication credentials must be provided");
    }
    if (with_faults) {
      if (auto fault = ctx.faults.failure(req.path)) return send_fault(res, *fault);
    }
    inner(req, res);
    if (with_faults && res.status == 200 && ctx.faults.truncate_next()) {
      res.body = FaultInjector::truncate(res.body);
    }
  };
}

std::string url_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// The request's own URL on the host the client used, with `page_token` replaced.
std::string page_url(const Request& req, const RouteContext& ctx, const std::string& token) {
  std::string host = req.get_header_value("Host");
  if (host.empty()) host = ctx.options.host + ":" + std::to_string(ctx.options.port);
  std::string query;
  for (const auto& [name, value] : req.params) {
    if (name == "page_token") continue;
    query += (query.empty() ? "" : "&") + url_encode(name) + "=" + url_encode(value);
  }
  if (!token.empty()) query += (query.empty() ? "" : "&") + std::string("page_token=") + token;
  return "http://" + host + req.path + (query.empty() ? "" : "?" + query);
}

struct ListSpec {
  std::string api_version, kind;
  PageLimits limits;
  bool total_size = true;  // ListMeta has total_size (all but sql/v1)
  bool self_link = false;  // sql/v1 ListMeta has self
};

// One page of a listing of `total` items; `item(i)` renders the i-th.
void send_page(const Request& req, Response& res, const RouteContext& ctx, const ListSpec& spec,
               const std::string& scope, size_t total, const std::function<json(size_t)>& item) {
  const PageParse parsed =
      parse_page(param(req, "page_size"), param(req, "page_token"), spec.limits, scope);
  if (!parsed.page) {
    return send_error(res, 400, "invalid_parameter", "Invalid Parameter", parsed.error,
                      parsed.parameter);
  }
  const size_t first = std::min(parsed.page->offset, total);
  const size_t last = std::min(total, first + parsed.page->size);
  json data = json::array();
  for (size_t i = first; i < last; ++i) data.push_back(item(i));
  json metadata = json::object();
  if (last < total) metadata["next"] = page_url(req, ctx, make_page_token(last, scope));
  if (spec.total_size) metadata["total_size"] = total;
  if (spec.self_link) metadata["self"] = page_url(req, ctx, param(req, "page_token").value_or(""));
  send_json(res, 200,
            json{{"api_version", spec.api_version},
                 {"kind", spec.kind},
                 {"metadata", metadata},
                 {"data", std::move(data)}});
}

template <typename T, typename Keep>
std::vector<const T*> listed(const std::vector<T>& items, Keep keep) {
  std::vector<const T*> out;
  for (const auto& item : items) {
    if (item.life.listed() && keep(item)) out.push_back(&item);
  }
  return out;
}

constexpr PageLimits kStandardPaging{10, 100};

// Handlers that list by ?environment= (required, as in the official descriptions).
template <typename T>
Handler env_scoped_list(const RouteContext& ctx, const std::vector<T>& items, ListSpec spec,
                        std::function<json(const OrgModel&, const T&)> render) {
  return [&ctx, &items, spec, render](const Request& req, Response& res) {
    const auto env = param(req, "environment");
    if (!env || env->empty()) {
      return send_error(res, 400, "invalid_filter", "Invalid Filter",
                        "The 'environment' query parameter is required", "environment");
    }
    const auto region = param(req, "spec.region");
    const auto selected = listed(items, [&](const T& item) { return item.env_id == *env; });
    std::vector<const T*> kept;
    for (const T* item : selected) {
      if constexpr (std::is_same_v<T, FlinkPool>) {
        if (region && item->region != *region) continue;
      }
      kept.push_back(item);
    }
    send_page(req, res, ctx, spec, req.path + "?environment=" + *env + "&" + region.value_or(""),
              kept.size(), [&](size_t i) { return render(ctx.model, *kept[i]); });
  };
}

void billing_costs(const RouteContext& ctx, const Request& req, Response& res) {
  const auto start = param(req, "start_date");
  const auto end = param(req, "end_date");
  for (const auto& [name, value] : {std::pair{"start_date", start}, std::pair{"end_date", end}}) {
    if (!value || value->empty()) {
      return send_error(res, 400, "invalid_filter", "Invalid Filter",
                        std::string("The '") + name + "' query parameter is required", name);
    }
    if (!parse_date(*value)) {
      return send_error(res, 400, "invalid_filter", "Invalid Filter",
                        std::string("'") + name + "' must be a date in YYYY-MM-DD format", name);
    }
  }
  const int64_t from = *parse_date(*start);
  const int64_t to = *parse_date(*end);
  if (to <= from) {
    return send_error(res, 400, "invalid_filter", "Invalid Filter",
                      "'end_date' must be after 'start_date'", "end_date");
  }
  const auto [first, last] = ctx.ledger.day_range(from, to);
  const ListSpec spec{"billing/v1", "CostList", PageLimits{5000, 10000}};
  send_page(req, res, ctx, spec, "/billing/v1/costs?" + *start + "&" + *end, last - first,
            [&, first = first](size_t i) { return cost_json(ctx.ledger.rows()[first + i]); });
}

void connectors(const RouteContext& ctx, const Request& req, Response& res) {
  const std::string env_id = req.matches[1];
  const std::string cluster_id = req.matches[2];
  const KafkaCluster* cluster = ctx.model.kafka_cluster(cluster_id);
  if (cluster == nullptr || !cluster->life.listed() || cluster->env_id != env_id) {
    return send_not_found(
        res, "Kafka cluster '" + cluster_id + "' not found in environment '" + env_id + "'");
  }
  std::set<std::string> expand;
  for (size_t i = 0; i < req.get_param_value_count("expand"); ++i) {
    std::stringstream values(req.get_param_value("expand", i));
    std::string value;
    while (std::getline(values, value, ',')) {
      if (value.empty()) continue;
      if (value != "id" && value != "info" && value != "status") {
        return send_error(res, 400, "invalid_parameter", "Invalid Parameter",
                          "expand must be a combination of id, info and status", "expand");
      }
      expand.insert(value);
    }
  }
  const auto items =
      listed(ctx.model.connectors, [&](const Connector& c) { return c.cluster_id == cluster_id; });
  if (expand.empty()) {
    json names = json::array();
    for (const auto* c : items) names.push_back(c->name);
    return send_json(res, 200, names);
  }
  json map = json::object();
  for (const auto* c : items) map[c->name] = connector_expansion_json(ctx.model, *c, expand);
  send_json(res, 200, map);
}

void flink_statements(const RouteContext& ctx, const Request& req, Response& res) {
  const std::string org_id = req.matches[1];
  const std::string env_id = req.matches[2];
  const Environment* env = ctx.model.environment(env_id);
  if (org_id != ctx.model.organization.id || env == nullptr || !env->life.listed()) {
    return send_not_found(
        res, "environment '" + env_id + "' not found in organization '" + org_id + "'");
  }
  const auto pool = param(req, "spec.compute_pool_id");
  const auto items = listed(ctx.model.flink_statements, [&](const FlinkStatement& s) {
    return s.env_id == env_id && (!pool || s.pool_id == *pool);
  });
  ListSpec spec{"sql/v1", "StatementList", kStandardPaging, false, true};
  send_page(req, res, ctx, spec, req.path + "?" + pool.value_or(""), items.size(),
            [&](size_t i) { return flink_statement_json(ctx.model, *items[i]); });
}

void api_keys(const RouteContext& ctx, const Request& req, Response& res) {
  const auto owner = param(req, "spec.owner");
  const auto resource = param(req, "spec.resource");
  const auto items = listed(ctx.model.api_keys, [&](const ApiKey& key) {
    return (!owner || key.owner_id == *owner) && (!resource || key.resource_id == *resource);
  });
  send_page(req, res, ctx, ListSpec{"iam/v2", "ApiKeyList", kStandardPaging},
            "/iam/v2/api-keys?" + owner.value_or("") + "&" + resource.value_or(""), items.size(),
            [&](size_t i) { return api_key_json(ctx.model, *items[i]); });
}

void identity_pools(const RouteContext& ctx, const Request& req, Response& res) {
  const std::string provider_id = req.matches[1];
  const IdentityProvider* provider = ctx.model.identity_provider(provider_id);
  if (provider == nullptr || !provider->life.listed()) {
    return send_not_found(res, "identity provider '" + provider_id + "' not found");
  }
  const auto items = listed(ctx.model.identity_pools,
                            [&](const IdentityPool& p) { return p.provider_id == provider_id; });
  send_page(req, res, ctx, ListSpec{"iam/v2", "IdentityPoolList", kStandardPaging}, req.path,
            items.size(), [&](size_t i) { return identity_pool_json(ctx.model, *items[i]); });
}

void send_prom(Response& res, const PromResponse& answer) {
  send_json(res, answer.status, answer.body);
}

}  // namespace

void install_routes(httplib::Server& server, const RouteContext& ctx) {
  const OrgModel& m = ctx.model;

  server.Get("/billing/v1/costs", guarded(ctx, [&ctx](const Request& req, Response& res) {
               billing_costs(ctx, req, res);
             }));

  server.Get("/org/v2/organizations", guarded(ctx, [&ctx](const Request& req, Response& res) {
               send_page(req, res, ctx, ListSpec{"org/v2", "OrganizationList", kStandardPaging},
                         req.path, 1, [&](size_t) { return organization_json(ctx.model); });
             }));

  server.Get(
      "/org/v2/environments", guarded(ctx, [&ctx](const Request& req, Response& res) {
        const auto items = listed(ctx.model.environments, [](const Environment&) { return true; });
        send_page(req, res, ctx, ListSpec{"org/v2", "EnvironmentList", kStandardPaging}, req.path,
                  items.size(), [&](size_t i) { return environment_json(ctx.model, *items[i]); });
      }));

  server.Get(
      "/cmk/v2/clusters",
      guarded(ctx, env_scoped_list<KafkaCluster>(ctx, m.kafka_clusters,
                                                 ListSpec{"cmk/v2", "ClusterList", kStandardPaging},
                                                 kafka_cluster_json)));
  server.Get("/srcm/v3/clusters",
             guarded(ctx, env_scoped_list<SchemaRegistry>(
                              ctx, m.schema_registries,
                              ListSpec{"srcm/v3", "ClusterList", kStandardPaging},
                              schema_registry_v3_json)));
  server.Get("/srcm/v2/clusters",
             guarded(ctx, env_scoped_list<SchemaRegistry>(
                              ctx, m.schema_registries,
                              ListSpec{"srcm/v2", "ClusterList", kStandardPaging},
                              schema_registry_v2_json)));
  server.Get("/ksqldbcm/v2/clusters",
             guarded(ctx, env_scoped_list<KsqlCluster>(
                              ctx, m.ksqldb_clusters,
                              ListSpec{"ksqldbcm/v2", "ClusterList", kStandardPaging},
                              ksqldb_cluster_json)));
  server.Get(
      "/fcpm/v2/compute-pools",
      guarded(ctx, env_scoped_list<FlinkPool>(
                       ctx, m.flink_pools, ListSpec{"fcpm/v2", "ComputePoolList", kStandardPaging},
                       flink_pool_json)));

  server.Get(
      R"(/connect/v1/environments/([^/]+)/clusters/([^/]+)/connectors)",
      guarded(ctx, [&ctx](const Request& req, Response& res) { connectors(ctx, req, res); }));

  server.Get(
      R"(/sql/v1/organizations/([^/]+)/environments/([^/]+)/statements)",
      guarded(ctx, [&ctx](const Request& req, Response& res) { flink_statements(ctx, req, res); }));

  server.Get("/iam/v2/service-accounts", guarded(ctx, [&ctx](const Request& req, Response& res) {
               const auto items =
                   listed(ctx.model.service_accounts, [](const ServiceAccount&) { return true; });
               send_page(req, res, ctx, ListSpec{"iam/v2", "ServiceAccountList", kStandardPaging},
                         req.path, items.size(),
                         [&](size_t i) { return service_account_json(ctx.model, *items[i]); });
             }));
  server.Get("/iam/v2/users", guarded(ctx, [&ctx](const Request& req, Response& res) {
               const auto items = listed(ctx.model.users, [](const User&) { return true; });
               send_page(req, res, ctx, ListSpec{"iam/v2", "UserList", kStandardPaging}, req.path,
                         items.size(), [&](size_t i) { return user_json(ctx.model, *items[i]); });
             }));
  server.Get("/iam/v2/api-keys",
             guarded(ctx, [&ctx](const Request& req, Response& res) { api_keys(ctx, req, res); }));
  server.Get(
      "/iam/v2/identity-providers", guarded(ctx, [&ctx](const Request& req, Response& res) {
        const auto items =
            listed(ctx.model.identity_providers, [](const IdentityProvider&) { return true; });
        send_page(req, res, ctx, ListSpec{"iam/v2", "IdentityProviderList", PageLimits{10, 100}},
                  req.path, items.size(),
                  [&](size_t i) { return identity_provider_json(ctx.model, *items[i]); });
      }));
  server.Get(
      R"(/iam/v2/identity-providers/([^/]+)/identity-pools)",
      guarded(ctx, [&ctx](const Request& req, Response& res) { identity_pools(ctx, req, res); }));

  // Prometheus parameters come in the query string (GET) or the form body (POST); httplib
  // merges both into req.params.
  const Handler range = guarded(ctx, [&ctx](const Request& req, Response& res) {
    send_prom(res, query_range(ctx.telemetry, param(req, "query"), param(req, "start"),
                               param(req, "end"), param(req, "step")));
  });
  const Handler instant = guarded(ctx, [&ctx](const Request& req, Response& res) {
    send_prom(res, query_instant(ctx.telemetry, param(req, "query"), param(req, "time"),
                                 static_cast<double>(ctx.model.window_end)));
  });
  server.Post("/api/v1/query_range", range);
  server.Get("/api/v1/query_range", range);
  server.Post("/api/v1/query", instant);
  server.Get("/api/v1/query", instant);

  server.Get("/sim/v1/truth", guarded(
                                  ctx,
                                  [&ctx](const Request&, Response& res) {
                                    send_json(res, 200, truth_json(ctx.model, ctx.ledger));
                                  },
                                  false));

  const Handler not_found = guarded(ctx, [](const Request& req, Response& res) {
    send_not_found(res, "no route for " + req.method + " " + req.path);
  });
  server.Get(".*", not_found);
  server.Post(".*", not_found);
}

}  // namespace ccloud_sim
