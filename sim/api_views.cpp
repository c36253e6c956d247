#include "sim/api_views.hpp"

#include <algorithm>
#include <cctype>

#include "sim/sim_time.hpp"

namespace ccloud_sim {

namespace {

using json = nlohmann::json;

const std::string kApi = "https://api.confluent.cloud";

std::string crn(const OrgModel& m, const std::string& path) {
  return "crn://confluent.cloud/organization=" + m.organization.id + path;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

json object_meta(const std::string& self, const std::string& resource_name, const Lifetime& life) {
  const std::optional<int> millis =
      life.created_millis >= 0 ? std::optional<int>(life.created_millis) : std::nullopt;
  const std::string created = format_timestamp(life.created_at, millis);
  json meta = {{"self", self}, {"created_at", created}, {"updated_at", created}};
  if (!resource_name.empty()) meta["resource_name"] = resource_name;
  return meta;
}

json environment_ref(const OrgModel& m, const std::string& env_id) {
  return json{{"id", env_id},
              {"related", kApi + "/org/v2/environments/" + env_id},
              {"resource_name", crn(m, "/environment=" + env_id)}};
}

json kafka_ref(const OrgModel& m, const KafkaCluster& c) {
  return json{{"id", c.id},
              {"environment", c.env_id},
              {"related", kApi + "/cmk/v2/clusters/" + c.id},
              {"resource_name", crn(m, "/environment=" + c.env_id + "/cloud-cluster=" + c.id)},
              {"api_version", "cmk/v2"},
              {"kind", "Cluster"}};
}

json principal_ref(const OrgModel& m, const std::string& id) {
  const bool user = id.rfind("u-", 0) == 0;
  return json{{"id", id},
              {"related", kApi + (user ? "/iam/v2/users/" : "/iam/v2/service-accounts/") + id},
              {"resource_name", crn(m, (user ? "/user=" : "/service-account=") + id)},
              {"api_version", "iam/v2"},
              {"kind", user ? "User" : "ServiceAccount"}};
}

}  // namespace

json organization_json(const OrgModel& m) {
  const auto& org = m.organization;
  return json{
      {"api_version", "org/v2"},
      {"kind", "Organization"},
      {"id", org.id},
      {"metadata", object_meta(kApi + "/org/v2/organizations/" + org.id, crn(m, ""), org.life)},
      {"display_name", org.display_name},
      {"jit_enabled", false}};
}

json environment_json(const OrgModel& m, const Environment& env) {
  return json{{"api_version", "org/v2"},
              {"kind", "Environment"},
              {"id", env.id},
              {"metadata", object_meta(kApi + "/org/v2/environments/" + env.id,
                                       crn(m, "/environment=" + env.id), env.life)},
              {"display_name", env.display_name},
              {"stream_governance_config", {{"package", env.governance_package}}}};
}

json kafka_cluster_json(const OrgModel& m, const KafkaCluster& c) {
  json config = {{"kind", c.kind}};
  if (c.kind == "Dedicated") {
    config["cku"] = c.cku;
  } else if (c.kind != "Basic") {
    config["max_ecku"] = 4;
  }
  json spec = {{"display_name", c.display_name},
               {"availability", c.availability},
               {"cloud", c.cloud},
               {"region", c.region},
               {"config", config},
               {"kafka_bootstrap_endpoint", "SASL_SSL://" + c.endpoint_host + ":9092"},
               {"http_endpoint", "https://" + c.endpoint_host + ":443"},
               {"api_endpoint", "https://pkac-" + c.id.substr(4) + "." + c.region + "." +
                                    lower(c.cloud) + ".confluent.cloud"},
               {"environment", environment_ref(m, c.env_id)}};
  json status = {{"phase", "PROVISIONED"}};
  if (c.kind == "Dedicated") status["cku"] = c.cku;
  return json{{"api_version", "cmk/v2"},
              {"kind", "Cluster"},
              {"id", c.id},
              {"metadata",
               object_meta(kApi + "/cmk/v2/clusters/" + c.id,
                           crn(m, "/environment=" + c.env_id + "/cloud-cluster=" + c.id), c.life)},
              {"spec", spec},
              {"status", status}};
}

json schema_registry_v3_json(const OrgModel& m, const SchemaRegistry& sr) {
  return json{
      {"api_version", "srcm/v3"},
      {"kind", "Cluster"},
      {"id", sr.id},
      {"metadata",
       object_meta(kApi + "/srcm/v3/clusters/" + sr.id,
                   crn(m, "/environment=" + sr.env_id + "/schema-registry=" + sr.id), sr.life)},
      {"spec",
       {{"display_name", sr.display_name},
        {"package", sr.package},
        {"http_endpoint", sr.endpoint},
        {"catalog_http_endpoint", sr.endpoint},
        {"cloud", sr.cloud},
        {"region", sr.region},
        {"environment", environment_ref(m, sr.env_id)}}},
      {"status", {{"phase", "PROVISIONED"}}}};
}

json schema_registry_v2_json(const OrgModel& m, const SchemaRegistry& sr) {
  const std::string region_id = "sgreg-" + std::to_string(sr.region.size() % 9 + 1);
  return json{
      {"api_version", "srcm/v2"},
      {"kind", "Cluster"},
      {"id", sr.id},
      {"metadata",
       object_meta(kApi + "/srcm/v2/clusters/" + sr.id,
                   crn(m, "/environment=" + sr.env_id + "/schema-registry=" + sr.id), sr.life)},
      {"spec",
       {{"display_name", sr.display_name},
        {"package", sr.package},
        {"http_endpoint", sr.endpoint},
        {"environment", environment_ref(m, sr.env_id)},
        {"region",
         {{"id", region_id},
          {"related", kApi + "/srcm/v2/regions/" + region_id},
          {"resource_name", crn(m, "/region=" + region_id)}}}}},
      {"status", {{"phase", "PROVISIONED"}}}};
}

json ksqldb_cluster_json(const OrgModel& m, const KsqlCluster& k) {
  const KafkaCluster* cluster = m.kafka_cluster(k.kafka_cluster_id);
  json kafka = cluster ? kafka_ref(m, *cluster)
                       : json{{"id", k.kafka_cluster_id},
                              {"related", kApi + "/cmk/v2/clusters/" + k.kafka_cluster_id},
                              {"resource_name", crn(m, "/cloud-cluster=" + k.kafka_cluster_id)}};
  return json{{"api_version", "ksqldbcm/v2"},
              {"kind", "Cluster"},
              {"id", k.id},
              {"metadata", object_meta(kApi + "/ksqldbcm/v2/clusters/" + k.id,
                                       crn(m, "/environment=" + k.env_id + "/cloud-cluster=" +
                                                  k.kafka_cluster_id + "/ksql=" + k.id),
                                       k.life)},
              {"spec",
               {{"display_name", k.display_name},
                {"use_detailed_processing_log", true},
                {"csu", k.csu},
                {"kafka_cluster", kafka},
                {"credential_identity", principal_ref(m, k.credential_identity_id)},
                {"environment", environment_ref(m, k.env_id)}}},
              {"status",
               {{"http_endpoint", "https://pksqlc-" + k.id.substr(7) + ".confluent.cloud:443"},
                {"phase", "PROVISIONED"},
                {"is_paused", false},
                {"storage", k.csu * 125},
                {"topic_prefix", "pksqlc-" + k.id.substr(7)}}}};
}

json flink_pool_json(const OrgModel& m, const FlinkPool& p) {
  int current = 0;
  for (const auto& s : m.flink_statements) {
    if (s.pool_id == p.id && s.life.listed() && s.running_until >= m.window_end) current += s.cfu;
  }
  return json{
      {"api_version", "fcpm/v2"},
      {"kind", "ComputePool"},
      {"id", p.id},
      {"metadata",
       object_meta(kApi + "/fcpm/v2/compute-pools/" + p.id,
                   crn(m, "/environment=" + p.env_id + "/flink-region=" + lower(p.cloud) + "." +
                              p.region + "/compute-pool=" + p.id),
                   p.life)},
      {"spec",
       {{"display_name", p.display_name},
        {"cloud", p.cloud},
        {"region", p.region},
        {"max_cfu", p.max_cfu},
        {"enable_ai", false},
        {"default_pool", false},
        {"environment", environment_ref(m, p.env_id)}}},
      {"status", {{"phase", "PROVISIONED"}, {"current_cfu", std::min(current, p.max_cfu)}}}};
}

json flink_statement_json(const OrgModel& m, const FlinkStatement& s) {
  const FlinkPool* pool = m.flink_pool(s.pool_id);
  const std::string host =
      pool ? "https://flink." + pool->region + "." + lower(pool->cloud) + ".confluent.cloud" : kApi;
  const Environment* env = m.environment(s.env_id);
  json status = {{"phase", s.phase}, {"network_kind", "PUBLIC"}};
  if (s.phase == "RUNNING") {
    status["detail"] = "Statement is running successfully.";
  } else if (s.phase == "COMPLETED") {
    status["detail"] = "This statement has completed.";
    status["end_time"] = format_timestamp(s.running_until);
  } else if (s.phase == "FAILED") {
    status["detail"] = "Statement failed: the sink table rejected a record.";
    status["end_time"] = format_timestamp(s.running_until);
  } else if (s.phase == "STOPPED") {
    status["detail"] = "This statement was stopped manually.";
    status["end_time"] = format_timestamp(s.running_until);
  } else {
    status["detail"] = "Waiting for compute resources.";
  }
  json meta = object_meta(
      host + "/sql/v1/organizations/" + m.organization.id + "/environments/" + s.env_id +
          "/statements/" + s.name,
      crn(m, "/environment=" + s.env_id + "/flink-region=" +
                 (pool ? lower(pool->cloud) + "." + pool->region : "") + "/statement=" + s.name),
      s.life);
  meta["uid"] = s.uid;
  meta["resource_version"] = "1";
  return json{{"api_version", "sql/v1"},
              {"kind", "Statement"},
              {"organization_id", m.organization.id},
              {"environment_id", s.env_id},
              {"name", s.name},
              {"metadata", meta},
              {"spec",
               {{"statement", s.sql},
                {"compute_pool_id", s.pool_id},
                {"principal", s.principal},
                {"stopped", s.phase == "STOPPED"},
                {"properties", {{"sql.current-catalog", env ? env->display_name : s.env_id}}}}},
              {"status", status}};
}

json service_account_json(const OrgModel& m, const ServiceAccount& sa) {
  return json{{"api_version", "iam/v2"},
              {"kind", "ServiceAccount"},
              {"id", sa.id},
              {"metadata", object_meta(kApi + "/iam/v2/service-accounts/" + sa.id,
                                       crn(m, "/service-account=" + sa.id), sa.life)},
              {"display_name", sa.display_name},
              {"description", sa.description}};
}

json user_json(const OrgModel& m, const User& u) {
  return json{
      {"api_version", "iam/v2"},
      {"kind", "User"},
      {"id", u.id},
      {"metadata", object_meta(kApi + "/iam/v2/users/" + u.id, crn(m, "/user=" + u.id), u.life)},
      {"email", u.email},
      {"full_name", u.full_name},
      {"auth_type", u.auth_type}};
}

json api_key_json(const OrgModel& m, const ApiKey& key) {
  json resource;
  if (key.resource_kind == "Cloud") {
    resource = {
        {"id", "cloud"}, {"related", kApi + "/"}, {"resource_name", crn(m, "")}, {"kind", "Cloud"}};
  } else if (key.resource_kind == "SchemaRegistry") {
    resource = {{"id", key.resource_id},
                {"environment", key.resource_env_id},
                {"related", kApi + "/srcm/v3/clusters/" + key.resource_id},
                {"resource_name", crn(m, "/environment=" + key.resource_env_id +
                                             "/schema-registry=" + key.resource_id)},
                {"api_version", "srcm/v3"},
                {"kind", "Cluster"}};
  } else {
    resource = {{"id", key.resource_id},
                {"environment", key.resource_env_id},
                {"related", kApi + "/cmk/v2/clusters/" + key.resource_id},
                {"resource_name", crn(m, "/environment=" + key.resource_env_id +
                                             "/cloud-cluster=" + key.resource_id)},
                {"api_version", "cmk/v2"},
                {"kind", "Cluster"}};
  }
  return json{{"api_version", "iam/v2"},
              {"kind", "ApiKey"},
              {"id", key.id},
              {"metadata", object_meta(kApi + "/iam/v2/api-keys/" + key.id,
                                       crn(m, "/api-key=" + key.id), key.life)},
              {"spec",
               {{"display_name", key.display_name},
                {"description", key.description},
                {"owner", principal_ref(m, key.owner_id)},
                {"resource", resource},
                {"resources", json::array({resource})}}}};
}

json identity_provider_json(const OrgModel& m, const IdentityProvider& p) {
  return json{{"api_version", "iam/v2"},
              {"kind", "IdentityProvider"},
              {"id", p.id},
              {"metadata", object_meta(kApi + "/iam/v2/identity-providers/" + p.id,
                                       crn(m, "/identity-provider=" + p.id), p.life)},
              {"display_name", p.display_name},
              {"description", p.description},
              {"state", "ENABLED"},
              {"issuer", p.issuer},
              {"jwks_uri", p.jwks_uri},
              {"identity_claim", "claims.sub"}};
}

json identity_pool_json(const OrgModel& m, const IdentityPool& pool) {
  return json{
      {"api_version", "iam/v2"},
      {"kind", "IdentityPool"},
      {"id", pool.id},
      {"metadata",
       object_meta(
           kApi + "/iam/v2/identity-providers/" + pool.provider_id + "/identity-pools/" + pool.id,
           crn(m, "/identity-provider=" + pool.provider_id + "/identity-pool=" + pool.id),
           pool.life)},
      {"display_name", pool.display_name},
      {"description", pool.description},
      {"identity_claim", pool.identity_claim},
      {"filter", pool.filter},
      {"principal", pool.id},
      {"state", "ENABLED"}};
}

json connector_expansion_json(const OrgModel& m, const Connector& c,
                              const std::set<std::string>& expand) {
  json entry = json::object();
  if (expand.count("id") != 0) entry["id"] = {{"id", c.id}, {"id_type", "ID"}};
  const KafkaCluster* cluster = m.kafka_cluster(c.cluster_id);
  const Environment* env = m.environment(c.env_id);
  if (expand.count("info") != 0) {
    json config = {
        {"cloud.environment", env ? env->display_name : "prod"},
        {"cloud.provider", cluster ? lower(cluster->cloud) : "aws"},
        {"connector.class", c.connector_class},
        {"name", c.name},
        {"kafka.endpoint", cluster ? "SASL_SSL://" + cluster->endpoint_host + ":9092" : ""},
        {"kafka.region", cluster ? cluster->region : ""},
        {"kafka.api.key", c.api_key},
        {"kafka.api.secret", "****************"},
        {"tasks.max", std::to_string(c.tasks)},
        {"output.data.format", "JSON"}};
    if (c.explicit_auth_mode) config["kafka.auth.mode"] = c.auth_mode;
    if (c.auth_mode == "SERVICE_ACCOUNT") config["kafka.service.account.id"] = c.service_account_id;
    config[c.direction == "sink" ? "topics" : "kafka.topic"] =
        cluster && cluster->topics.size() > 1 ? cluster->topics[1].name : "events";
    entry["info"] = {{"name", c.name}, {"type", c.direction}, {"config", config}};
  }
  if (expand.count("status") != 0) {
    const std::string task_state = c.state == "PROVISIONING" ? "UNASSIGNED" : c.state;
    json tasks = json::array();
    if (c.state != "PROVISIONING") {
      for (int i = 0; i < c.tasks; ++i) {
        tasks.push_back({{"id", i}, {"state", task_state}, {"worker_id", c.name}});
      }
    }
    json connector = {{"state", c.state},
                      {"worker_id", c.name},
                      {"trace", c.state == "FAILED" ? "Connector failed: the sink rejected "
                                                      "the credentials"
                                                    : ""}};
    entry["status"] = {
        {"name", c.name}, {"type", c.direction}, {"connector", connector}, {"tasks", tasks}};
  }
  return entry;
}

}  // namespace ccloud_sim
