// The cost-explorer graph (reference "topic attribution and graph" §12): GET graph,
// graph/search, graph/diff and graph/timeline.
//
// Differences from the original, on purpose: costs are exact sums of the stored 0.0001 units,
// rendered as 4-decimal strings (the original summed floats: "12", "7.2000000000000001776…");
// every list has a defined order (equal costs by id, byte-wise); pct_change is exact to 4
// decimals.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <deque>
#include <functional>
#include <map>
#include <set>

#include "allocation/money.hpp"
#include "report/entity_tags.hpp"
#include "report/handlers.hpp"
#include "report/request_params.hpp"

namespace chitragupt::report {
namespace {

using nlohmann::json;
using Costs = std::map<std::string, std::int64_t>;
__extension__ typedef __int128 i128;

constexpr std::size_t kGroupThreshold = 20;
constexpr std::size_t kTopN = 5;
constexpr std::size_t kExpandCap = 200;
constexpr std::size_t kCrossRefItems = 5;

struct Entity {
  std::string id, type, display_name, parent_id, cloud, region, status, created_at, deleted_at;
  bool identity = false;
};

struct Period {
  std::string start, end;  // stored UTC text, [start, end)
};

// "2026-03-15T00:00:00Z" / "+01:00" → stored UTC text; a value without a zone is a 400.
std::string read_at(const std::optional<std::string>& text) {
  if (!text) {
    return stored_utc(static_cast<std::int64_t>(std::time(nullptr)));
  }
  const std::string& t = *text;
  std::string zone_part;
  std::string local = t;
  if (!t.empty() && (t.back() == 'Z' || t.back() == 'z')) {
    local = t.substr(0, t.size() - 1);
    zone_part = "Z";
  } else if (t.size() > 6 && (t[t.size() - 6] == '+' || t[t.size() - 6] == '-') &&
             t[t.size() - 3] == ':') {
    local = t.substr(0, t.size() - 6);
    zone_part = t.substr(t.size() - 6);
  }
  if (zone_part.empty())
    throw ApiError{400, "bad_parameter", "at must include timezone (e.g., 2026-02-24T00:00:00Z)"};
  if (auto dot = local.find('.'); dot != std::string::npos) local = local.substr(0, dot);
  static const Zone utc = find_zone("UTC");
  auto stored = local_time_utc(utc, local);
  if (!stored) bad_parameter("at", "expected an ISO-8601 date-time, got " + json_quoted(t));
  std::int64_t secs = *parse_stored(*stored);
  if (zone_part != "Z") {
    const int sign = zone_part[0] == '-' ? -1 : 1;
    const int hh = std::stoi(zone_part.substr(1, 2)), mm = std::stoi(zone_part.substr(4, 2));
    secs -= sign * (hh * 3600 + mm * 60);
  }
  return stored_utc(secs);
}

bool alive_at(const Entity& e, const std::string& at) {
  return (e.created_at.empty() || e.created_at <= at) &&
         (e.deleted_at.empty() || e.deleted_at > at);
}

class Graph {
 public:
  explicit Graph(Call& call) : call_(call) {
    for (const auto& r :
         checked(call.db.query("SELECT resource_id, resource_type, display_name, parent_id, cloud, "
                               "region, status, created_at, deleted_at FROM resources WHERE "
                               "ecosystem = ? AND tenant_id = ? ORDER BY resource_id",
                               {call.tenant.ecosystem, call.tenant.tenant_id}),
                 "graph resources")) {
      Entity e{r.get_text(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4),
               r.get_text(5), r.get_text(6), r.get_text(7), r.get_text(8), false};
      resources_[e.id] = e;
    }
    for (const auto& r :
         checked(call.db.query("SELECT identity_id, identity_type, display_name, created_at, "
                               "deleted_at FROM identities WHERE ecosystem = ? AND tenant_id = ? "
                               "ORDER BY identity_id",
                               {call.tenant.ecosystem, call.tenant.tenant_id}),
                 "graph identities")) {
      Entity e;
      e.id = r.get_text(0);
      e.type = r.get_text(1);
      e.display_name = r.get_text(2);
      e.created_at = r.get_text(3);
      e.deleted_at = r.get_text(4);
      e.status = e.deleted_at.empty() ? "active" : "deleted";
      e.identity = true;
      identities_[e.id] = e;
    }
    tags_ = TagIndex::load(call.db, call.tenant.tenant_id);
  }

  const Entity* resource(const std::string& id) const {
    auto it = resources_.find(id);
    return it == resources_.end() ? nullptr : &it->second;
  }
  const Entity* identity(const std::string& id) const {
    auto it = identities_.find(id);
    return it == identities_.end() ? nullptr : &it->second;
  }
  const std::map<std::string, Entity>& resources() const { return resources_; }
  const std::map<std::string, Entity>& identities() const { return identities_; }

  // Chargeback sums of the period grouped by one dimension column, optionally filtered.
  Costs chargeback(const Period& p, const std::string& group_column,
                   const std::string& where_column = "", const std::string& value = "") const {
    Where w;
    w.add("d.ecosystem = ?", call_.tenant.ecosystem);
    w.add("d.tenant_id = ?", call_.tenant.tenant_id);
    w.add("f.timestamp >= ?", p.start);
    w.add("f.timestamp < ?", p.end);
    if (!where_column.empty()) w.add("d." + where_column + " = ?", value);
    Costs out;
    for (const auto& r :
         checked(call_.db.query("SELECT d." + group_column +
                                    ", SUM(f.amount) FROM chargeback_facts f JOIN "
                                    "chargeback_dimensions d ON d.dimension_id = f.dimension_id" +
                                    w.sql + " GROUP BY d." + group_column,
                                w.params),
                 "graph chargeback costs")) {
      out[r.get_text(0)] = r.get_int(1);
    }
    return out;
  }
  // Topic-attribution sums of the period by dimension resource_id (topics).
  Costs attributed(const Period& p) const {
    Costs out;
    for (const auto& r : checked(
             call_.db.query("SELECT d.resource_id, SUM(f.amount) FROM topic_attribution_facts f "
                            "JOIN topic_attribution_dimensions d ON d.dimension_id = "
                            "f.dimension_id WHERE d.ecosystem = ? AND d.tenant_id = ? AND "
                            "f.timestamp >= ? AND f.timestamp < ? GROUP BY d.resource_id",
                            {call_.tenant.ecosystem, call_.tenant.tenant_id, p.start, p.end}),
             "graph topic costs")) {
      out[r.get_text(0)] = r.get_int(1);
    }
    return out;
  }
  // Distinct non-empty values of `column` over all chargeback dimensions where `by` = value.
  std::vector<std::string> linked(const std::string& column, const std::string& by,
                                  const std::string& value) const {
    std::vector<std::string> out;
    for (const auto& r : checked(
             call_.db.query("SELECT DISTINCT " + column +
                                " FROM chargeback_dimensions WHERE ecosystem = ? AND tenant_id = "
                                "? AND " +
                                by + " = ? AND " + column + " <> '' ORDER BY 1",
                            {call_.tenant.ecosystem, call_.tenant.tenant_id, value}),
             "graph links")) {
      out.push_back(r.get_text(0));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  json node(const Entity& e, std::int64_t cost) const {
    json tags = json::object();
    if (const TagMap* t = tags_.of(e.identity ? "identity" : "resource", e.id)) {
      for (const auto& [k, v] : *t) tags[k] = v;
    }
    auto text = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    return {{"id", e.id},
            {"resource_type", e.type},
            {"display_name", e.display_name.empty() ? json(e.id) : json(e.display_name)},
            {"cost", decimal(cost)},
            {"created_at", e.created_at.empty() ? json(nullptr) : json(iso_utc(e.created_at))},
            {"deleted_at", e.deleted_at.empty() ? json(nullptr) : json(iso_utc(e.deleted_at))},
            {"tags", std::move(tags)},
            {"parent_id", text(e.parent_id)},
            {"cloud", text(e.cloud)},
            {"region", text(e.region)},
            {"status", e.status.empty() ? json("active") : json(e.status)},
            {"cross_references", json::array()},
            {"child_count", nullptr},
            {"child_total_cost", nullptr}};
  }

 private:
  Call& call_;
  std::map<std::string, Entity> resources_;
  std::map<std::string, Entity> identities_;
  TagIndex tags_;
};

json edge(const std::string& source, const std::string& target, const char* type,
          std::optional<std::int64_t> cost) {
  return {{"source", source},
          {"target", target},
          {"relationship_type", type},
          {"cost", cost ? json(decimal(*cost)) : json(nullptr)}};
}

json group_node(const std::string& id, const char* type, const std::string& name, std::int64_t cost,
                std::size_t count, std::int64_t child_total) {
  return {{"id", id},
          {"resource_type", type},
          {"display_name", name},
          {"cost", decimal(cost)},
          {"created_at", nullptr},
          {"deleted_at", nullptr},
          {"tags", json::object()},
          {"parent_id", nullptr},
          {"cloud", nullptr},
          {"region", nullptr},
          {"status", "active"},
          {"cross_references", json::array()},
          {"child_count", count},
          {"child_total_cost", decimal(child_total)}};
}

struct Member {
  const Entity* entity;
  std::int64_t cost;
};

// By cost, highest first; equal costs by id.
void sort_by_cost(std::vector<Member>& members) {
  std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
    return a.cost != b.cost ? a.cost > b.cost : a.entity->id < b.entity->id;
  });
}

std::int64_t total_of(const std::vector<Member>& members) {
  std::int64_t t = 0;
  for (const auto& m : members) t += m.cost;
  return t;
}

struct View {
  json nodes = json::array();
  json edges = json::array();
};

// A group over the threshold: the top N, then one node for the rest (`word`: "topics").
void add_top_n(View& v, const Graph& g, std::vector<Member> members, const std::string& group_id,
               const char* word, const std::function<void(View&, const Member&)>& add_member,
               const std::function<void(View&, const std::string&)>& link_group) {
  sort_by_cost(members);
  std::size_t shown = std::min(kTopN, members.size());
  for (std::size_t i = 0; i < shown; ++i) add_member(v, members[i]);
  std::vector<Member> rest(members.begin() + static_cast<std::ptrdiff_t>(shown), members.end());
  const std::int64_t rest_cost = total_of(rest);
  v.nodes.push_back(group_node(group_id, "group", std::to_string(rest.size()) + " " + word,
                               rest_cost, rest.size(), rest_cost));
  link_group(v, group_id);
}

// expand: up to 200 members with a cost, the others in a capped and a zero-cost summary.
void add_expanded(View& v, std::vector<Member> members, const std::string& prefix, const char* word,
                  const std::function<void(View&, const Member&)>& add_member,
                  const std::function<void(View&, const std::string&)>& link_group) {
  sort_by_cost(members);
  std::vector<Member> costed, zero;
  for (const auto& m : members) (m.cost != 0 ? costed : zero).push_back(m);
  for (std::size_t i = 0; i < costed.size() && i < kExpandCap; ++i) add_member(v, costed[i]);
  if (costed.size() > kExpandCap) {
    std::vector<Member> rest(costed.begin() + kExpandCap, costed.end());
    const std::string id = prefix + ":capped_" + word;
    v.nodes.push_back(group_node(id, "capped_summary",
                                 std::to_string(rest.size()) + " more " + word, total_of(rest),
                                 rest.size(), total_of(rest)));
    link_group(v, id);
  }
  if (!zero.empty()) {
    const std::string id = prefix + ":zero_cost_" + word;
    const std::string name = costed.empty() ? std::to_string(zero.size()) + " " + word + " ($0)"
                                            : std::to_string(zero.size()) + " others at $0";
    v.nodes.push_back(group_node(id, "zero_cost_summary", name, 0, zero.size(), 0));
    link_group(v, id);
  }
}

struct ViewOptions {
  Period period;
  std::string at;
  int depth = 1;
  std::string expand;   // "" or topics|identities|resources|clusters
  bool grouped = true;  // false: the full, ungrouped view (diff)
};

json cross_references(const Graph& g, const Period& p, const std::string& identity,
                      const std::string& except) {
  Costs costs = g.chargeback(p, "resource_id", "identity_id", identity);
  std::map<std::string, std::vector<Member>> by_type;
  for (const auto& [id, cost] : costs) {
    if (id.empty() || id == except) continue;
    const Entity* e = g.resource(id);
    if (!e) continue;
    by_type[e->type].push_back({e, cost});
  }
  json out = json::array();
  for (auto& [type, members] : by_type) {
    sort_by_cost(members);
    json items = json::array();
    for (std::size_t i = 0; i < members.size() && i < kCrossRefItems; ++i) {
      items.push_back({{"id", members[i].entity->id},
                       {"resource_type", type},
                       {"display_name", members[i].entity->display_name},
                       {"cost", decimal(members[i].cost)}});
    }
    out.push_back(
        {{"resource_type", type}, {"items", std::move(items)}, {"total_count", members.size()}});
  }
  return out;
}

View cluster_view(const Graph& g, const Entity& cluster, const ViewOptions& o) {
  View v;
  const Costs charge = g.chargeback(o.period, "resource_id");
  const Costs topics = g.attributed(o.period);
  const Costs by_identity = g.chargeback(o.period, "identity_id", "resource_id", cluster.id);
  auto cost_of = [](const Costs& c, const std::string& id) -> std::int64_t {
    auto it = c.find(id);
    return it == c.end() ? 0 : it->second;
  };
  std::vector<Member> children, identities;
  for (const auto& [id, e] : g.resources()) {
    if (e.parent_id != cluster.id || !alive_at(e, o.at)) continue;
    auto ta = topics.find(id);
    children.push_back({&e, ta != topics.end() ? ta->second : cost_of(charge, id)});
  }
  for (const auto& id : g.linked("identity_id", "resource_id", cluster.id)) {
    const Entity* e = g.identity(id);
    if (!e || !alive_at(*e, o.at)) continue;
    identities.push_back({e, cost_of(by_identity, id)});
  }
  v.nodes.push_back(g.node(cluster, cost_of(charge, cluster.id)));
  json parent_edges = json::array(), charge_edges = json::array(),
       attribution_edges = json::array();
  auto add_child = [&](View& view, const Member& m) {
    view.nodes.push_back(g.node(*m.entity, m.cost));
    parent_edges.push_back(edge(cluster.id, m.entity->id, "parent", std::nullopt));
    if (topics.count(m.entity->id))
      attribution_edges.push_back(edge(cluster.id, m.entity->id, "attribution", m.cost));
  };
  auto add_identity = [&](View& view, const Member& m) {
    json n = g.node(*m.entity, m.cost);
    n["cross_references"] = cross_references(g, o.period, m.entity->id, cluster.id);
    view.nodes.push_back(std::move(n));
    charge_edges.push_back(edge(cluster.id, m.entity->id, "charge", m.cost));
  };
  auto link_children = [&](View&, const std::string& id) {
    parent_edges.push_back(edge(cluster.id, id, "parent", std::nullopt));
  };
  auto link_identities = [&](View&, const std::string& id) {
    charge_edges.push_back(edge(cluster.id, id, "charge", std::nullopt));
  };
  const bool full = !o.grouped || (o.expand.empty() && children.size() <= kGroupThreshold &&
                                   identities.size() <= kGroupThreshold);
  if (full) {
    for (const auto& m : children) add_child(v, m);
    for (const auto& m : identities) add_identity(v, m);
  } else if (o.expand == "topics") {
    add_expanded(v, children, cluster.id, "topics", add_child, link_children);
    const std::string id = cluster.id + ":identity_group";
    v.nodes.push_back(group_node(id, "group", std::to_string(identities.size()) + " identities", 0,
                                 identities.size(), total_of(identities)));
    link_identities(v, id);
  } else if (o.expand == "identities") {
    const std::string id = cluster.id + ":topic_group";
    v.nodes.push_back(group_node(id, "group", std::to_string(children.size()) + " topics", 0,
                                 children.size(), total_of(children)));
    link_children(v, id);
    add_expanded(v, identities, cluster.id, "identities", add_identity, link_identities);
  } else {
    if (children.size() > kGroupThreshold)
      add_top_n(v, g, children, cluster.id + ":topic_group", "topics", add_child, link_children);
    else
      for (const auto& m : children) add_child(v, m);
    if (identities.size() > kGroupThreshold)
      add_top_n(v, g, identities, cluster.id + ":identity_group", "identities", add_identity,
                link_identities);
    else
      for (const auto& m : identities) add_identity(v, m);
  }
  for (auto* list : {&parent_edges, &charge_edges, &attribution_edges}) {
    for (auto& e : *list) v.edges.push_back(std::move(e));
  }
  return v;
}

View resource_view(const Graph& g, const Entity& focus, const ViewOptions& o) {
  View v;
  const bool env = focus.type == "environment";
  const Costs charge = g.chargeback(o.period, "resource_id");
  const Costs topics = g.attributed(o.period);
  auto cost_of = [&](const Entity& e) -> std::int64_t {
    if (e.type == "topic") {
      if (auto it = topics.find(e.id); it != topics.end()) return it->second;
    }
    auto it = charge.find(e.id);
    return it == charge.end() ? 0 : it->second;
  };
  std::int64_t focus_cost = cost_of(focus);
  if (env) {
    Costs by_env = g.chargeback(o.period, "env_id");
    focus_cost = by_env.count(focus.id) ? by_env.at(focus.id) : 0;
  }
  v.nodes.push_back(g.node(focus, focus_cost));
  std::vector<Member> found;
  std::deque<std::pair<std::string, int>> queue = {{focus.id, 0}};
  std::set<std::string> seen = {focus.id};
  while (!queue.empty()) {
    auto [id, level] = queue.front();
    queue.pop_front();
    if (level >= o.depth) continue;
    for (const auto& [cid, e] : g.resources()) {
      if (e.parent_id != id || !alive_at(e, o.at) || !seen.insert(cid).second) continue;
      found.push_back({&e, cost_of(e)});
      queue.push_back({cid, level + 1});
    }
  }
  auto add = [&](View& view, const Member& m) {
    view.nodes.push_back(g.node(*m.entity, m.cost));
    view.edges.push_back(edge(m.entity->parent_id.empty() ? focus.id : m.entity->parent_id,
                              m.entity->id, "parent", std::nullopt));
  };
  auto link = [&](View& view, const std::string& id) {
    view.edges.push_back(edge(focus.id, id, "parent", std::nullopt));
  };
  if (o.grouped && found.size() > kGroupThreshold) {
    if (o.expand == "resources")
      add_expanded(v, found, focus.id, "resources", add, link);
    else
      add_top_n(v, g, found, focus.id + ":resource_group", "resources", add, link);
  } else {
    for (const auto& m : found) add(v, m);
  }
  return v;
}

View identity_view(const Graph& g, const Entity& focus, const ViewOptions& o) {
  View v;
  const Costs costs = g.chargeback(o.period, "resource_id", "identity_id", focus.id);
  std::vector<Member> members;
  for (const auto& id : g.linked("resource_id", "identity_id", focus.id)) {
    const Entity* e = g.resource(id);
    if (!e || !alive_at(*e, o.at)) continue;
    auto it = costs.find(id);
    members.push_back({e, it == costs.end() ? 0 : it->second});
  }
  v.nodes.push_back(g.node(focus, total_of(members)));
  auto add = [&](View& view, const Member& m) {
    view.nodes.push_back(g.node(*m.entity, m.cost));
    view.edges.push_back(edge(m.entity->id, focus.id, "charge", m.cost));
  };
  auto link = [&](View& view, const std::string& id) {
    view.edges.push_back(edge(id, focus.id, "charge", std::nullopt));
  };
  if (o.grouped && members.size() > kGroupThreshold) {
    if (o.expand == "clusters")
      add_expanded(v, members, focus.id, "clusters", add, link);
    else
      add_top_n(v, g, members, focus.id + ":cluster_group", "clusters", add, link);
  } else {
    for (const auto& m : members) add(v, m);
  }
  return v;
}

View root_view(const Graph& g, Call& call, const ViewOptions& o) {
  View v;
  const Costs by_env = g.chargeback(o.period, "env_id");
  std::vector<Member> envs;
  for (const auto& [id, e] : g.resources()) {
    if (e.type != "environment" || !alive_at(e, o.at)) continue;
    auto it = by_env.find(id);
    envs.push_back({&e, it == by_env.end() ? 0 : it->second});
  }
  const std::string& tenant = call.tenant.tenant_id;
  json root = group_node(tenant, "tenant", tenant, total_of(envs), 0, 0);
  root["child_count"] = nullptr;
  root["child_total_cost"] = nullptr;
  v.nodes.push_back(std::move(root));
  for (const auto& m : envs) {
    v.nodes.push_back(g.node(*m.entity, m.cost));
    v.edges.push_back(edge(tenant, m.entity->id, "parent", std::nullopt));
  }
  return v;
}

View build_view(const Graph& g, Call& call, const std::optional<std::string>& focus,
                const ViewOptions& o) {
  if (!focus) return root_view(g, call, o);
  if (const Entity* r = g.resource(*focus)) {
    if (r->type == "kafka_cluster" || r->type == "dedicated_cluster" || r->type == "cluster")
      return cluster_view(g, *r, o);
    return resource_view(g, *r, o);
  }
  if (const Entity* i = g.identity(*focus)) return identity_view(g, *i, o);
  throw ApiError{404, "not_found",
                 "Entity " + json_quoted(*focus) + " not found for tenant " +
                     json_quoted(call.tenant.tenant_name)};
}

int read_depth(const Query& q) {
  auto d = q.get("depth");
  if (!d) return 1;
  if (*d != "1" && *d != "2" && *d != "3")
    throw ApiError{422, "invalid_parameter", "depth must be 1, 2 or 3"};
  return std::stoi(*d);
}

Period period_of(const DateRange& r) { return {r.start_utc, r.end_utc}; }

}  // namespace

Response graph_route(Call& call) {
  Query q(call.request);
  ViewOptions o;
  o.at = read_at(q.get("at"));
  o.depth = read_depth(q);
  if (auto e = q.get("expand")) {
    if (*e != "topics" && *e != "identities" && *e != "resources" && *e != "clusters")
      throw ApiError{422, "invalid_parameter",
                     "expand must be one of topics, identities, resources, clusters"};
    o.expand = *e;
  }
  if (q.get("start_date") || q.get("end_date")) {
    o.period = period_of(read_date_range(q));
  } else {
    // The UTC calendar month holding `at`.
    const std::string month = o.at.substr(0, 7);
    int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2));
    char next[32];
    std::snprintf(next, sizeof next, "%04d-%02d", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    o.period = {month + "-01 00:00:00", std::string(next) + "-01 00:00:00"};
  }
  Graph g(call);
  View v = build_view(g, call, q.get("focus"), o);
  return json_response({{"nodes", std::move(v.nodes)}, {"edges", std::move(v.edges)}});
}

Response graph_search_route(Call& call) {
  Query q(call.request);
  auto text = q.get("q");
  if (!text || text->empty())
    throw ApiError{422, "invalid_parameter", "q is required (at least one character)"};
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  const std::string needle = lower(*text);
  Graph g(call);
  struct Hit {
    int score;
    int kind;  // 0 resource, 1 identity
    const Entity* e;
  };
  std::vector<Hit> hits;
  auto score = [&](const Entity& e) -> std::optional<int> {
    const std::string id = lower(e.id), name = lower(e.display_name);
    if (id.find(needle) == std::string::npos && name.find(needle) == std::string::npos)
      return std::nullopt;
    if (id == needle || name == needle) return 0;
    if (id.rfind(needle, 0) == 0 || name.rfind(needle, 0) == 0) return 1;
    return 2;
  };
  for (int kind = 0; kind < 2; ++kind) {
    std::size_t taken = 0;
    for (const auto& [id, e] : kind == 0 ? g.resources() : g.identities()) {
      if (taken >= kExpandCap) break;
      if (auto s = score(e)) {
        hits.push_back({*s, kind, &e});
        ++taken;
      }
    }
  }
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score < b.score : a.kind < b.kind;
  });
  json results = json::array();
  for (std::size_t i = 0; i < hits.size() && i < kGroupThreshold; ++i) {
    const Entity& e = *hits[i].e;
    const Entity* parent = e.identity ? nullptr : g.resource(e.parent_id);
    results.push_back(
        {{"id", e.id},
         {"resource_type", e.type},
         {"display_name", e.display_name},
         {"parent_id", e.identity || e.parent_id.empty() ? json(nullptr) : json(e.parent_id)},
         {"parent_display_name", parent ? json(parent->display_name) : json(nullptr)},
         {"status", e.status.empty() ? "active" : e.status}});
  }
  return json_response({{"results", std::move(results)}});
}

Response graph_diff_route(Call& call) {
  Query q(call.request);
  auto required = [&](const char* name) {
    auto v = q.get(name);
    if (!v) throw ApiError{422, "invalid_parameter", std::string(name) + " is required"};
    return v;
  };
  const auto tz = q.get("timezone");
  DateRange before = read_date_range(required("from_start"), required("from_end"), tz);
  DateRange after = read_date_range(required("to_start"), required("to_end"), tz);
  Graph g(call);
  auto view_of = [&](const DateRange& r) {
    ViewOptions o;
    o.period = period_of(r);
    o.at = r.end_utc;
    o.depth = read_depth(q);
    o.grouped = false;
    return build_view(g, call, q.get("focus"), o);
  };
  View b = view_of(before), a = view_of(after);
  std::vector<std::string> order;
  std::map<std::string, json> before_nodes, after_nodes;
  for (auto& n : b.nodes) {
    order.push_back(n["id"]);
    before_nodes[n["id"]] = n;
  }
  for (auto& n : a.nodes) {
    if (!before_nodes.count(n["id"])) order.push_back(n["id"]);
    after_nodes[n["id"]] = n;
  }
  auto units = [](const json& n) {
    return allocation::Money::parse(n["cost"].get<std::string>())->units();
  };
  json nodes = json::array();
  for (const auto& id : order) {
    auto bi = before_nodes.find(id), ai = after_nodes.find(id);
    const json& base = bi != before_nodes.end() ? bi->second : ai->second;
    const std::int64_t cb = bi != before_nodes.end() ? units(bi->second) : 0;
    const std::int64_t ca = ai != after_nodes.end() ? units(ai->second) : 0;
    const std::int64_t delta = ca - cb;
    std::string status = bi == before_nodes.end()  ? "new"
                         : ai == after_nodes.end() ? "deleted"
                         : delta != 0              ? "changed"
                                                   : "unchanged";
    json pct = nullptr;
    if ((status == "changed" || status == "unchanged") && cb != 0) {
      // delta / before × 100 in 0.0001 units, rounded half away from zero.
      const i128 num = static_cast<i128>(delta) * 100 * 10000;
      i128 q2 = num / cb;
      const i128 r = num % cb;
      if (r != 0 && 2 * (r < 0 ? -r : r) >= (cb < 0 ? -i128(cb) : i128(cb)))
        q2 += ((num < 0) != (cb < 0)) ? -1 : 1;
      pct = decimal(static_cast<std::int64_t>(q2));
    }
    nodes.push_back({{"id", id},
                     {"resource_type", base["resource_type"]},
                     {"display_name", base["display_name"]},
                     {"parent_id", base["parent_id"]},
                     {"cost_before", decimal(cb)},
                     {"cost_after", decimal(ca)},
                     {"cost_delta", decimal(delta)},
                     {"pct_change", pct},
                     {"status", status}});
  }
  return json_response({{"nodes", std::move(nodes)}});
}

Response graph_timeline_route(Call& call) {
  Query q(call.request);
  auto id = q.get("entity_id");
  if (!id) throw ApiError{422, "invalid_parameter", "entity_id is required"};
  DateRange range = read_date_range(q.get("start"), q.get("end"), q.get("timezone"));
  Graph g(call);
  std::string sql;
  storage::Params params = {call.tenant.ecosystem, call.tenant.tenant_id, range.start_utc,
                            range.end_utc, *id};
  const Entity* r = g.resource(*id);
  if (r && r->type == "topic") {
    sql =
        "SELECT substr(f.timestamp, 1, 10), SUM(f.amount) FROM topic_attribution_facts f JOIN "
        "topic_attribution_dimensions d ON d.dimension_id = f.dimension_id WHERE d.ecosystem = "
        "? AND d.tenant_id = ? AND f.timestamp >= ? AND f.timestamp < ? AND d.resource_id = ?";
  } else if (r || g.identity(*id)) {
    const std::string column = !r                         ? "identity_id"
                               : r->type == "environment" ? "env_id"
                                                          : "resource_id";
    sql =
        "SELECT substr(f.timestamp, 1, 10), SUM(f.amount) FROM chargeback_facts f JOIN "
        "chargeback_dimensions d ON d.dimension_id = f.dimension_id WHERE d.ecosystem = ? AND "
        "d.tenant_id = ? AND f.timestamp >= ? AND f.timestamp < ? AND d." +
        column + " = ?";
  } else {
    throw ApiError{404, "not_found",
                   "Entity " + json_quoted(*id) + " not found for tenant " +
                       json_quoted(call.tenant.tenant_name)};
  }
  Costs by_day;
  for (const auto& row : checked(call.db.query(sql + " GROUP BY 1", params), "graph timeline"))
    by_day[row.get_text(0)] = row.get_int(1);
  json points = json::array();
  for (std::int64_t day = range.start_day; day <= range.end_day; ++day) {
    const std::string d = format_day(day);
    points.push_back({{"date", d}, {"cost", decimal(by_day.count(d) ? by_day[d] : 0)}});
  }
  return json_response({{"entity_id", *id}, {"points", std::move(points)}});
}

}  // namespace chitragupt::report
