-- The core schema of the original (chitragupta v2.2, Alembic head 032) without its FOCUS
-- Preview tables and alembic_version. SQLite variant: ids are INTEGER PRIMARY KEY
-- AUTOINCREMENT and the fact tables are WITHOUT ROWID (their primary key is the only access
-- path, so this saves one B-tree per inserted row); everything else is portable SQL.
--
-- Conventions:
-- - timestamps are TEXT in UTC 'YYYY-MM-DD HH:MM:SS', dates TEXT 'YYYY-MM-DD';
-- - money is exact: fact amounts are BIGINT units of 0.0001; billing quantity, unit_price and
--   total_cost are the decimal text as received (it may carry more than 4 decimals);
-- - flags are INTEGER 0/1 (portable, unlike BOOLEAN defaults);
-- - key columns of the dimension tables are NOT NULL DEFAULT '' so no NULL escapes the
--   unique key (the original's SQLite unique index did not deduplicate rows with NULLs).

CREATE TABLE resources (
  ecosystem TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  display_name TEXT,
  parent_id TEXT,
  owner_id TEXT,
  status TEXT NOT NULL DEFAULT 'active',
  cloud TEXT,
  region TEXT,
  created_at TEXT,
  deleted_at TEXT,
  last_seen_at TEXT,
  metadata_json TEXT,
  CONSTRAINT pk_resources PRIMARY KEY (ecosystem, tenant_id, resource_id)
);
CREATE INDEX ix_resources_resource_type ON resources (resource_type);
CREATE INDEX ix_resources_parent_id ON resources (parent_id);
CREATE INDEX ix_resources_owner_id ON resources (owner_id);
CREATE INDEX ix_resources_status ON resources (status);
CREATE INDEX ix_resources_cloud ON resources (cloud);
CREATE INDEX ix_resources_region ON resources (region);
CREATE INDEX ix_resources_created_at ON resources (created_at);
CREATE INDEX ix_resources_deleted_at ON resources (deleted_at);

CREATE TABLE identities (
  ecosystem TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  identity_type TEXT NOT NULL,
  display_name TEXT,
  created_at TEXT,
  deleted_at TEXT,
  last_seen_at TEXT,
  metadata_json TEXT,
  CONSTRAINT pk_identities PRIMARY KEY (ecosystem, tenant_id, identity_id)
);
CREATE INDEX ix_identities_identity_type ON identities (identity_type);
CREATE INDEX ix_identities_created_at ON identities (created_at);
CREATE INDEX ix_identities_deleted_at ON identities (deleted_at);

CREATE TABLE billing (
  ecosystem TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  product_type TEXT NOT NULL,
  product_category TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit_price TEXT NOT NULL,
  total_cost TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'USD',
  granularity TEXT NOT NULL DEFAULT 'daily',
  allocation_attempts INTEGER NOT NULL DEFAULT 0,
  topic_attribution_attempts INTEGER NOT NULL DEFAULT 0,
  metadata_json TEXT,
  CONSTRAINT pk_billing
    PRIMARY KEY (ecosystem, tenant_id, timestamp, resource_id, product_type, product_category)
);

-- Confluent Cloud billing: the same lines keyed by environment as well.
CREATE TABLE ccloud_billing (
  ecosystem TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  env_id TEXT NOT NULL DEFAULT '',
  resource_id TEXT NOT NULL,
  product_type TEXT NOT NULL,
  product_category TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit_price TEXT NOT NULL,
  total_cost TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'USD',
  granularity TEXT NOT NULL DEFAULT 'daily',
  allocation_attempts INTEGER NOT NULL DEFAULT 0,
  topic_attribution_attempts INTEGER NOT NULL DEFAULT 0,
  metadata_json TEXT,
  CONSTRAINT pk_ccloud_billing PRIMARY KEY (ecosystem, tenant_id, timestamp, env_id, resource_id,
                                            product_type, product_category)
);

CREATE TABLE chargeback_dimensions (
  dimension_id INTEGER PRIMARY KEY AUTOINCREMENT,
  ecosystem TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  resource_id TEXT NOT NULL DEFAULT '',
  product_category TEXT NOT NULL DEFAULT '',
  product_type TEXT NOT NULL DEFAULT '',
  identity_id TEXT NOT NULL DEFAULT '',
  cost_type TEXT NOT NULL DEFAULT '',
  allocation_method TEXT NOT NULL DEFAULT '',
  allocation_detail TEXT NOT NULL DEFAULT '',
  env_id TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX uq_chargeback_dimensions ON chargeback_dimensions (
  ecosystem, tenant_id, resource_id, product_category, product_type, identity_id, cost_type,
  allocation_method, allocation_detail, env_id);
CREATE INDEX ix_chargeback_dimensions_eco_tenant ON chargeback_dimensions (ecosystem, tenant_id);
CREATE INDEX ix_chargeback_dimensions_ecosystem ON chargeback_dimensions (ecosystem);
CREATE INDEX ix_chargeback_dimensions_tenant_id ON chargeback_dimensions (tenant_id);
CREATE INDEX ix_chargeback_dimensions_resource_id ON chargeback_dimensions (resource_id);
CREATE INDEX ix_chargeback_dimensions_product_type ON chargeback_dimensions (product_type);
CREATE INDEX ix_chargeback_dimensions_identity_id ON chargeback_dimensions (identity_id);

-- amount: BIGINT units of 0.0001 (1.2345 USD = 12345).
CREATE TABLE chargeback_facts (
  timestamp TEXT NOT NULL,
  dimension_id INTEGER NOT NULL
    CONSTRAINT fk_chargeback_facts_dimension_id_chargeback_dimensions
    REFERENCES chargeback_dimensions (dimension_id),
  amount BIGINT NOT NULL,
  tags_json TEXT NOT NULL DEFAULT '[]',
  CONSTRAINT pk_chargeback_facts PRIMARY KEY (timestamp, dimension_id)
) WITHOUT ROWID;
CREATE INDEX ix_chargeback_facts_dimension_timestamp ON chargeback_facts (dimension_id, timestamp);

CREATE TABLE pipeline_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_name TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  status TEXT NOT NULL
    CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  stage TEXT,
  -- current_date is a reserved word (and a function in SQLite): always quote it.
  "current_date" TEXT,
  dates_gathered BIGINT NOT NULL DEFAULT 0,
  dates_calculated BIGINT NOT NULL DEFAULT 0,
  rows_written BIGINT NOT NULL DEFAULT 0,
  error_message TEXT
);
CREATE INDEX ix_pipeline_runs_tenant_name ON pipeline_runs (tenant_name);

CREATE TABLE pipeline_state (
  ecosystem TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  tracking_date TEXT NOT NULL,
  billing_gathered INTEGER NOT NULL DEFAULT 0 CHECK (billing_gathered IN (0, 1)),
  resources_gathered INTEGER NOT NULL DEFAULT 0 CHECK (resources_gathered IN (0, 1)),
  chargeback_calculated INTEGER NOT NULL DEFAULT 0 CHECK (chargeback_calculated IN (0, 1)),
  topic_overlay_gathered INTEGER NOT NULL DEFAULT 0 CHECK (topic_overlay_gathered IN (0, 1)),
  topic_attribution_calculated INTEGER NOT NULL DEFAULT 0
    CHECK (topic_attribution_calculated IN (0, 1)),
  calculation_id TEXT,
  calculation_completed_at TEXT,
  calculation_run_id INTEGER,
  CONSTRAINT pk_pipeline_state PRIMARY KEY (ecosystem, tenant_id, tracking_date),
  -- Deleting old runs (retention) must not fail on the states that point at them.
  CONSTRAINT fk_pipeline_state_calculation_run_id_pipeline_runs
    FOREIGN KEY (calculation_run_id) REFERENCES pipeline_runs (id) ON DELETE SET NULL
);
CREATE INDEX ix_pipeline_state_preview_coverage
  ON pipeline_state (ecosystem, tenant_id, chargeback_calculated, tracking_date);
CREATE INDEX ix_pipeline_state_calculation_run_id ON pipeline_state (calculation_run_id);

CREATE TABLE tags (
  tag_id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  entity_type TEXT NOT NULL CHECK (entity_type IN ('resource', 'identity')),
  entity_id TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX uq_tags_entity_key ON tags (tenant_id, entity_type, entity_id, tag_key);
CREATE INDEX ix_tags_entity ON tags (entity_type, entity_id);
CREATE INDEX ix_tags_tenant_key ON tags (tenant_id, tag_key);
CREATE INDEX ix_tags_tenant_key_value ON tags (tenant_id, tag_key, tag_value);

CREATE TABLE emission_records (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ecosystem TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  emitter_name TEXT NOT NULL,
  pipeline TEXT NOT NULL DEFAULT 'chargeback',
  date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('emitted', 'failed')),
  attempt_count INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_emission_records
  ON emission_records (ecosystem, tenant_id, emitter_name, pipeline, date);
CREATE INDEX ix_emission_records_ecosystem ON emission_records (ecosystem);
CREATE INDEX ix_emission_records_tenant_id ON emission_records (tenant_id);
CREATE INDEX ix_emission_records_emitter_name ON emission_records (emitter_name);
CREATE INDEX ix_emission_records_pipeline ON emission_records (pipeline);
CREATE INDEX ix_emission_records_date ON emission_records (date);

CREATE TABLE topic_attribution_dimensions (
  dimension_id INTEGER PRIMARY KEY AUTOINCREMENT,
  ecosystem TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  env_id TEXT NOT NULL DEFAULT '',
  cluster_resource_id TEXT NOT NULL,
  topic_name TEXT NOT NULL DEFAULT '',
  product_category TEXT NOT NULL DEFAULT '',
  product_type TEXT NOT NULL DEFAULT '',
  attribution_method TEXT NOT NULL DEFAULT '',
  -- cluster_resource_id || ':topic:' || topic_name
  resource_id TEXT NOT NULL
);
CREATE UNIQUE INDEX uq_topic_attribution_dimensions ON topic_attribution_dimensions (
  ecosystem, tenant_id, env_id, cluster_resource_id, topic_name, product_category, product_type,
  attribution_method);
CREATE INDEX ix_topic_attr_dim_eco_tenant ON topic_attribution_dimensions (ecosystem, tenant_id);
CREATE INDEX ix_topic_attr_dim_cluster
  ON topic_attribution_dimensions (ecosystem, tenant_id, cluster_resource_id);
CREATE INDEX ix_topic_attr_dim_resource_id ON topic_attribution_dimensions (resource_id);
CREATE INDEX ix_topic_attribution_dimensions_ecosystem ON topic_attribution_dimensions (ecosystem);
CREATE INDEX ix_topic_attribution_dimensions_tenant_id ON topic_attribution_dimensions (tenant_id);
CREATE INDEX ix_topic_attribution_dimensions_cluster_resource_id
  ON topic_attribution_dimensions (cluster_resource_id);
CREATE INDEX ix_topic_attribution_dimensions_product_type
  ON topic_attribution_dimensions (product_type);

-- amount: BIGINT units of 0.0001, no default (as in the original since its migration 015).
CREATE TABLE topic_attribution_facts (
  timestamp TEXT NOT NULL,
  dimension_id INTEGER NOT NULL
    CONSTRAINT fk_topic_attribution_facts_dimension_id_topic_attribution_dimensions
    REFERENCES topic_attribution_dimensions (dimension_id),
  amount BIGINT NOT NULL,
  CONSTRAINT pk_topic_attribution_facts PRIMARY KEY (timestamp, dimension_id)
) WITHOUT ROWID;
CREATE INDEX ix_topic_attr_facts_dim_ts ON topic_attribution_facts (dimension_id, timestamp);
