// The original chitragupta's schema at Alembic head 032, for fixture databases only.
// SQLite: block A of ../shared/reference/original-database-schema.md (section 7.1), written
// from the original's migration chain (the alembic_version row is inserted by the fixture).
// PostgreSQL: the same tables with the differences of its section 9 (SERIAL keys, TIMESTAMPTZ,
// BOOLEAN, VARCHAR, no '' defaults on chargeback_dimensions, emission_records' column order).

#include "importer/fixture.hpp"

namespace chitragupt::importer::fixture {

const char* original_sqlite_ddl() {
  return R"sql(-- Chitragupta storage schema at Alembic head 032 (SQLite dialect).
-- Ordinary variant: every tenant database has exactly these tables.
PRAGMA foreign_keys = OFF;   -- the application never enables FK enforcement on SQLite

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE resources (
    ecosystem     VARCHAR NOT NULL,
    tenant_id     VARCHAR NOT NULL,
    resource_id   VARCHAR NOT NULL,
    resource_type VARCHAR NOT NULL,
    display_name  VARCHAR,
    parent_id     VARCHAR,
    owner_id      VARCHAR,
    status        VARCHAR DEFAULT 'active' NOT NULL,
    cloud         VARCHAR,
    region        VARCHAR,
    created_at    DATETIME,
    deleted_at    DATETIME,
    last_seen_at  DATETIME,
    metadata_json VARCHAR,
    PRIMARY KEY (ecosystem, tenant_id, resource_id)
);
CREATE INDEX ix_resources_resource_type ON resources (resource_type);
CREATE INDEX ix_resources_parent_id     ON resources (parent_id);
CREATE INDEX ix_resources_owner_id      ON resources (owner_id);
CREATE INDEX ix_resources_status        ON resources (status);
CREATE INDEX ix_resources_cloud         ON resources (cloud);
CREATE INDEX ix_resources_region        ON resources (region);
CREATE INDEX ix_resources_created_at    ON resources (created_at);
CREATE INDEX ix_resources_deleted_at    ON resources (deleted_at);

CREATE TABLE identities (
    ecosystem     VARCHAR NOT NULL,
    tenant_id     VARCHAR NOT NULL,
    identity_id   VARCHAR NOT NULL,
    identity_type VARCHAR NOT NULL,
    display_name  VARCHAR,
    created_at    DATETIME,
    deleted_at    DATETIME,
    last_seen_at  DATETIME,
    metadata_json VARCHAR,
    PRIMARY KEY (ecosystem, tenant_id, identity_id)
);
CREATE INDEX ix_identities_identity_type ON identities (identity_type);
CREATE INDEX ix_identities_created_at    ON identities (created_at);
CREATE INDEX ix_identities_deleted_at    ON identities (deleted_at);

-- Billing for non-Confluent ecosystems (self_managed_kafka, generic_metrics_only).
-- Rebuilt by migration 005 (batch mode); topic_attribution_attempts appended by 016.
CREATE TABLE billing (
    ecosystem                  VARCHAR NOT NULL,
    tenant_id                  VARCHAR NOT NULL,
    timestamp                DATETIME NOT NULL,
    resource_id                VARCHAR NOT NULL,
    product_type               VARCHAR NOT NULL,
    product_category           VARCHAR NOT NULL,
    quantity                   VARCHAR NOT NULL,
    unit_price                 VARCHAR NOT NULL,
    total_cost                 VARCHAR NOT NULL,
    currency                   VARCHAR DEFAULT 'USD' NOT NULL,
    granularity                VARCHAR DEFAULT 'daily' NOT NULL,
    metadata_json              VARCHAR,
    allocation_attempts        INTEGER DEFAULT '0' NOT NULL,
    topic_attribution_attempts INTEGER DEFAULT '0' NOT NULL,
    CONSTRAINT pk_billing PRIMARY KEY (ecosystem, tenant_id, timestamp, resource_id, product_type, product_category)
);

-- Billing for ecosystem 'confluent_cloud' (env_id is part of the key).
CREATE TABLE ccloud_billing (
    ecosystem                  VARCHAR NOT NULL,
    tenant_id                  VARCHAR NOT NULL,
    timestamp                DATETIME NOT NULL,
    env_id                     VARCHAR NOT NULL,
    resource_id                VARCHAR NOT NULL,
    product_type               VARCHAR NOT NULL,
    product_category           VARCHAR NOT NULL,
    quantity                   VARCHAR NOT NULL,
    unit_price                 VARCHAR NOT NULL,
    total_cost                 VARCHAR NOT NULL,
    currency                   VARCHAR NOT NULL,
    granularity                VARCHAR NOT NULL,
    allocation_attempts        INTEGER DEFAULT 0 NOT NULL,
    metadata_json              VARCHAR,
    topic_attribution_attempts INTEGER DEFAULT '0' NOT NULL,
    PRIMARY KEY (ecosystem, tenant_id, timestamp, env_id, resource_id, product_type, product_category)
);

-- Recreated verbatim by migration 009 (hand-written SQL, TEXT types, AUTOINCREMENT).
CREATE TABLE chargeback_dimensions (
    dimension_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    ecosystem         TEXT    NOT NULL,
    tenant_id         TEXT    NOT NULL,
    resource_id       TEXT,
    product_category  TEXT    NOT NULL DEFAULT '',
    product_type      TEXT    NOT NULL DEFAULT '',
    identity_id       TEXT    NOT NULL DEFAULT '',
    cost_type         TEXT    NOT NULL DEFAULT '',
    allocation_method TEXT,
    allocation_detail TEXT,
    env_id            TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX uq_chargeback_dimensions ON chargeback_dimensions
    (ecosystem, tenant_id, resource_id, product_category, product_type,
     identity_id, cost_type, allocation_method, allocation_detail, env_id);
CREATE INDEX ix_chargeback_dimensions_eco_tenant   ON chargeback_dimensions (ecosystem, tenant_id);
CREATE INDEX ix_chargeback_dimensions_ecosystem    ON chargeback_dimensions (ecosystem);
CREATE INDEX ix_chargeback_dimensions_tenant_id    ON chargeback_dimensions (tenant_id);
CREATE INDEX ix_chargeback_dimensions_resource_id  ON chargeback_dimensions (resource_id);
CREATE INDEX ix_chargeback_dimensions_product_type ON chargeback_dimensions (product_type);
CREATE INDEX ix_chargeback_dimensions_identity_id  ON chargeback_dimensions (identity_id);

CREATE TABLE chargeback_facts (
    timestamp  DATETIME NOT NULL,
    dimension_id INTEGER  NOT NULL,
    amount       VARCHAR  NOT NULL,
    tags_json    VARCHAR  DEFAULT '[]' NOT NULL,
    PRIMARY KEY (timestamp, dimension_id),
    FOREIGN KEY (dimension_id) REFERENCES chargeback_dimensions (dimension_id)
);
CREATE INDEX ix_chargeback_facts_dimension_timestamp ON chargeback_facts (dimension_id, timestamp);

CREATE TABLE pipeline_runs (
    id               INTEGER NOT NULL,
    tenant_name      VARCHAR NOT NULL,
    started_at       DATETIME NOT NULL,
    ended_at         DATETIME,
    status           VARCHAR NOT NULL,
    dates_gathered   INTEGER DEFAULT '0' NOT NULL,
    dates_calculated INTEGER DEFAULT '0' NOT NULL,
    rows_written     INTEGER DEFAULT '0' NOT NULL,
    error_message    VARCHAR,
    stage            VARCHAR,
    "current_date"   DATE,
    PRIMARY KEY (id)
);
CREATE INDEX ix_pipeline_runs_tenant_name ON pipeline_runs (tenant_name);

-- Rebuilt by migration 019 (batch mode).
CREATE TABLE pipeline_state (
    ecosystem                    VARCHAR NOT NULL,
    tenant_id                    VARCHAR NOT NULL,
    tracking_date                DATE    NOT NULL,
    billing_gathered             BOOLEAN DEFAULT '0' NOT NULL,
    resources_gathered           BOOLEAN DEFAULT '0' NOT NULL,
    chargeback_calculated        BOOLEAN DEFAULT '0' NOT NULL,
    topic_overlay_gathered       BOOLEAN DEFAULT '0' NOT NULL,
    topic_attribution_calculated BOOLEAN DEFAULT '0' NOT NULL,
    calculation_id               VARCHAR,
    calculation_completed_at     DATETIME,
    calculation_run_id           INTEGER,
    PRIMARY KEY (ecosystem, tenant_id, tracking_date),
    CONSTRAINT fk_pipeline_state_calculation_run_id_pipeline_runs
        FOREIGN KEY (calculation_run_id) REFERENCES pipeline_runs (id)
);
CREATE INDEX ix_pipeline_state_preview_coverage ON pipeline_state
    (ecosystem, tenant_id, tracking_date, chargeback_calculated, calculation_id, calculation_completed_at);

-- Recreated verbatim by migration 014 (hand-written SQL).
CREATE TABLE emission_records (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ecosystem     TEXT    NOT NULL,
    tenant_id     TEXT    NOT NULL,
    emitter_name  TEXT    NOT NULL,
    pipeline      TEXT    NOT NULL DEFAULT 'chargeback',
    date          DATE    NOT NULL,
    status        TEXT    NOT NULL,
    attempt_count INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT uq_emission_records UNIQUE (ecosystem, tenant_id, emitter_name, pipeline, date)
);
CREATE INDEX ix_emission_records_ecosystem    ON emission_records (ecosystem);
CREATE INDEX ix_emission_records_tenant_id    ON emission_records (tenant_id);
CREATE INDEX ix_emission_records_emitter_name ON emission_records (emitter_name);
CREATE INDEX ix_emission_records_pipeline     ON emission_records (pipeline);
CREATE INDEX ix_emission_records_date         ON emission_records (date);

CREATE TABLE tags (
    tag_id      INTEGER NOT NULL,
    tenant_id   VARCHAR NOT NULL,
    entity_type VARCHAR NOT NULL,
    entity_id   VARCHAR NOT NULL,
    tag_key     VARCHAR NOT NULL,
    tag_value   VARCHAR NOT NULL,
    created_by  VARCHAR NOT NULL,
    created_at  DATETIME NOT NULL,
    PRIMARY KEY (tag_id),
    CONSTRAINT uq_tags_entity_key UNIQUE (tenant_id, entity_type, entity_id, tag_key)
);
CREATE INDEX ix_tags_entity           ON tags (tenant_id, entity_type, entity_id);
CREATE INDEX ix_tags_tenant_key       ON tags (tenant_id, tag_key);
CREATE INDEX ix_tags_tenant_key_value ON tags (tenant_id, tag_key, tag_value);

-- Rebuilt by migration 017 (batch mode, from the hand-written 013 table).
CREATE TABLE topic_attribution_dimensions (
    dimension_id        INTEGER NOT NULL,
    ecosystem           TEXT NOT NULL,
    tenant_id           TEXT NOT NULL,
    env_id              TEXT DEFAULT '' NOT NULL,
    cluster_resource_id TEXT NOT NULL,
    topic_name          TEXT DEFAULT '' NOT NULL,
    product_category    TEXT DEFAULT '' NOT NULL,
    product_type        TEXT DEFAULT '' NOT NULL,
    attribution_method  TEXT DEFAULT '' NOT NULL,
    resource_id         VARCHAR NOT NULL,
    PRIMARY KEY (dimension_id)
);
CREATE UNIQUE INDEX uq_topic_attribution_dimensions ON topic_attribution_dimensions
    (ecosystem, tenant_id, env_id, cluster_resource_id, topic_name,
     product_category, product_type, attribution_method);
CREATE INDEX ix_topic_attr_dim_eco_tenant ON topic_attribution_dimensions (ecosystem, tenant_id);
CREATE INDEX ix_topic_attr_dim_cluster    ON topic_attribution_dimensions (ecosystem, tenant_id, cluster_resource_id);
CREATE INDEX ix_topic_attribution_dimensions_ecosystem           ON topic_attribution_dimensions (ecosystem);
CREATE INDEX ix_topic_attribution_dimensions_tenant_id           ON topic_attribution_dimensions (tenant_id);
CREATE INDEX ix_topic_attribution_dimensions_cluster_resource_id ON topic_attribution_dimensions (cluster_resource_id);
CREATE INDEX ix_topic_attribution_dimensions_product_type        ON topic_attribution_dimensions (product_type);
CREATE INDEX ix_topic_attr_dim_resource_id ON topic_attribution_dimensions (resource_id);

-- Rebuilt by migration 015 (batch mode).
CREATE TABLE topic_attribution_facts (
    timestamp  DATETIME NOT NULL,
    dimension_id INTEGER  NOT NULL,
    amount       VARCHAR  NOT NULL,
    PRIMARY KEY (timestamp, dimension_id),
    FOREIGN KEY (dimension_id) REFERENCES topic_attribution_dimensions (dimension_id)
);
CREATE INDEX ix_topic_attr_facts_dim_ts ON topic_attribution_facts (dimension_id, timestamp);

CREATE TABLE preview_requests (
    request_id                             VARCHAR NOT NULL,
    tenant_name                            VARCHAR NOT NULL,
    ecosystem                              VARCHAR NOT NULL,
    tenant_id                              VARCHAR NOT NULL,
    grain                                  VARCHAR NOT NULL,
    start_date                             DATE NOT NULL,
    end_date                               DATE NOT NULL,
    column_profile                         VARCHAR NOT NULL,
    status                                 VARCHAR NOT NULL,
    created_at                             DATETIME NOT NULL,
    started_at                             DATETIME,
    completed_at                           DATETIME,
    calculation_timestamp                  DATETIME,
    source_through                         DATETIME,
    calculation_coverage_json              VARCHAR,
    diagnostic_code                        VARCHAR,
    diagnostic_message                     VARCHAR,
    diagnostic_retryable                   BOOLEAN,
    storage_key                            VARCHAR,
    manifest_metadata_json                 VARCHAR,
    data_files_json                        VARCHAR,
    diagnostic_source_correlation_ids_json TEXT,
    effective_columns_json                 TEXT,
    effective_coverage_start_date          DATE,
    effective_coverage_end_date            DATE,
    availability_cutoff_end_date           DATE,
    monthly_status                         VARCHAR,
    expires_at                             DATETIME,
    worker_id                              VARCHAR,
    lease_expires_at                       DATETIME,
    PRIMARY KEY (request_id)
);
CREATE INDEX ix_preview_requests_owner_created  ON preview_requests (ecosystem, tenant_id, created_at);
CREATE INDEX ix_preview_requests_owner_status   ON preview_requests (ecosystem, tenant_id, status);
CREATE INDEX ix_preview_requests_owner_expiry   ON preview_requests (ecosystem, tenant_id, status, expires_at);
CREATE INDEX ix_preview_requests_owner_recovery ON preview_requests (ecosystem, tenant_id, status, created_at, lease_expires_at);
CREATE INDEX ix_preview_requests_owner_lease    ON preview_requests (ecosystem, tenant_id, status, lease_expires_at, worker_id);

CREATE TABLE preview_revisions (
    revision_id                VARCHAR NOT NULL,
    tenant_name_at_publication VARCHAR NOT NULL,
    ecosystem                  VARCHAR NOT NULL,
    tenant_id                  VARCHAR NOT NULL,
    month_start                DATE NOT NULL,
    month_end                  DATE NOT NULL,
    monthly_status             VARCHAR NOT NULL,
    material_sha256            VARCHAR NOT NULL,
    source_snapshot_json       TEXT NOT NULL,
    published_at               DATETIME NOT NULL,
    supersedes_revision_id     VARCHAR,
    superseded_by_revision_id  VARCHAR,
    is_current                 BOOLEAN NOT NULL,
    storage_key                VARCHAR NOT NULL,
    manifest_metadata_json     TEXT NOT NULL,
    file_metadata_json         TEXT NOT NULL,
    retention_pending_at       DATETIME,
    retention_retry_count      INTEGER DEFAULT 0 NOT NULL,
    PRIMARY KEY (revision_id)
);
CREATE INDEX ix_preview_revisions_supersedes    ON preview_revisions (supersedes_revision_id);
CREATE INDEX ix_preview_revisions_superseded_by ON preview_revisions (superseded_by_revision_id);
CREATE UNIQUE INDEX ux_preview_revisions_owner_month_current
    ON preview_revisions (ecosystem, tenant_id, month_start) WHERE is_current = 1;
CREATE INDEX ix_preview_revisions_owner_month_visible_history ON preview_revisions
    (ecosystem, tenant_id, month_start, retention_pending_at, published_at, revision_id);
CREATE INDEX ix_preview_revisions_owner_retention_due ON preview_revisions
    (ecosystem, tenant_id, retention_pending_at, month_end, published_at, revision_id);
CREATE INDEX ix_preview_revisions_owner_retention_pending ON preview_revisions
    (ecosystem, tenant_id, retention_retry_count, retention_pending_at, revision_id);

)sql";
}

const char* original_postgresql_ddl() {
  return R"sql(
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE TABLE resources (
    ecosystem VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL, resource_id VARCHAR NOT NULL,
    resource_type VARCHAR NOT NULL, display_name VARCHAR, parent_id VARCHAR, owner_id VARCHAR,
    status VARCHAR DEFAULT 'active' NOT NULL, cloud VARCHAR, region VARCHAR,
    created_at TIMESTAMP WITH TIME ZONE, deleted_at TIMESTAMP WITH TIME ZONE,
    last_seen_at TIMESTAMP WITH TIME ZONE, metadata_json VARCHAR,
    PRIMARY KEY (ecosystem, tenant_id, resource_id));
CREATE TABLE identities (
    ecosystem VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL, identity_id VARCHAR NOT NULL,
    identity_type VARCHAR NOT NULL, display_name VARCHAR, created_at TIMESTAMP WITH TIME ZONE,
    deleted_at TIMESTAMP WITH TIME ZONE, last_seen_at TIMESTAMP WITH TIME ZONE,
    metadata_json VARCHAR, PRIMARY KEY (ecosystem, tenant_id, identity_id));
CREATE TABLE billing (
    ecosystem VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL,
    "timestamp" TIMESTAMP WITH TIME ZONE NOT NULL, resource_id VARCHAR NOT NULL,
    product_type VARCHAR NOT NULL, product_category VARCHAR NOT NULL, quantity VARCHAR NOT NULL,
    unit_price VARCHAR NOT NULL, total_cost VARCHAR NOT NULL,
    currency VARCHAR DEFAULT 'USD' NOT NULL, granularity VARCHAR DEFAULT 'daily' NOT NULL,
    metadata_json VARCHAR, allocation_attempts INTEGER DEFAULT '0' NOT NULL,
    topic_attribution_attempts INTEGER DEFAULT '0' NOT NULL,
    CONSTRAINT pk_billing PRIMARY KEY (ecosystem, tenant_id, "timestamp", resource_id,
                                       product_type, product_category));
CREATE TABLE ccloud_billing (
    ecosystem VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL,
    "timestamp" TIMESTAMP WITH TIME ZONE NOT NULL, env_id VARCHAR NOT NULL,
    resource_id VARCHAR NOT NULL, product_type VARCHAR NOT NULL,
    product_category VARCHAR NOT NULL, quantity VARCHAR NOT NULL, unit_price VARCHAR NOT NULL,
    total_cost VARCHAR NOT NULL, currency VARCHAR NOT NULL, granularity VARCHAR NOT NULL,
    allocation_attempts INTEGER DEFAULT 0 NOT NULL, metadata_json VARCHAR,
    topic_attribution_attempts INTEGER DEFAULT '0' NOT NULL,
    PRIMARY KEY (ecosystem, tenant_id, "timestamp", env_id, resource_id, product_type,
                 product_category));
CREATE TABLE chargeback_dimensions (
    dimension_id SERIAL PRIMARY KEY, ecosystem VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL,
    resource_id VARCHAR, product_category VARCHAR NOT NULL, product_type VARCHAR NOT NULL,
    identity_id VARCHAR NOT NULL, cost_type VARCHAR NOT NULL, allocation_method VARCHAR,
    allocation_detail VARCHAR, env_id VARCHAR DEFAULT '' NOT NULL,
    CONSTRAINT uq_chargeback_dimensions UNIQUE (ecosystem, tenant_id, resource_id,
        product_category, product_type, identity_id, cost_type, allocation_method,
        allocation_detail, env_id));
CREATE TABLE chargeback_facts (
    "timestamp" TIMESTAMP WITH TIME ZONE NOT NULL,
    dimension_id INTEGER NOT NULL REFERENCES chargeback_dimensions (dimension_id),
    amount VARCHAR NOT NULL, tags_json VARCHAR DEFAULT '[]' NOT NULL,
    PRIMARY KEY ("timestamp", dimension_id));
CREATE TABLE pipeline_runs (
    id SERIAL PRIMARY KEY, tenant_name VARCHAR NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL, ended_at TIMESTAMP WITH TIME ZONE,
    status VARCHAR NOT NULL, dates_gathered INTEGER DEFAULT '0' NOT NULL,
    dates_calculated INTEGER DEFAULT '0' NOT NULL, rows_written INTEGER DEFAULT '0' NOT NULL,
    error_message VARCHAR, stage VARCHAR, "current_date" DATE);
CREATE TABLE pipeline_state (
    ecosystem VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL, tracking_date DATE NOT NULL,
    billing_gathered BOOLEAN DEFAULT false NOT NULL,
    resources_gathered BOOLEAN DEFAULT false NOT NULL,
    chargeback_calculated BOOLEAN DEFAULT false NOT NULL,
    topic_overlay_gathered BOOLEAN DEFAULT false NOT NULL,
    topic_attribution_calculated BOOLEAN DEFAULT false NOT NULL, calculation_id VARCHAR,
    calculation_completed_at TIMESTAMP WITH TIME ZONE, calculation_run_id INTEGER,
    PRIMARY KEY (ecosystem, tenant_id, tracking_date),
    CONSTRAINT fk_pipeline_state_calculation_run_id_pipeline_runs
        FOREIGN KEY (calculation_run_id) REFERENCES pipeline_runs (id));
CREATE TABLE emission_records (
    id SERIAL PRIMARY KEY, ecosystem VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL,
    emitter_name VARCHAR NOT NULL, date DATE NOT NULL, status VARCHAR NOT NULL,
    attempt_count INTEGER DEFAULT '1' NOT NULL,
    pipeline VARCHAR DEFAULT 'chargeback' NOT NULL,
    CONSTRAINT uq_emission_records UNIQUE (ecosystem, tenant_id, emitter_name, pipeline, date));
CREATE TABLE tags (
    tag_id SERIAL PRIMARY KEY, tenant_id VARCHAR NOT NULL, entity_type VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL, tag_key VARCHAR NOT NULL, tag_value VARCHAR NOT NULL,
    created_by VARCHAR NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_tags_entity_key UNIQUE (tenant_id, entity_type, entity_id, tag_key));
CREATE TABLE topic_attribution_dimensions (
    dimension_id SERIAL PRIMARY KEY, ecosystem VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL,
    env_id VARCHAR DEFAULT '' NOT NULL, cluster_resource_id VARCHAR NOT NULL,
    topic_name VARCHAR DEFAULT '' NOT NULL, product_category VARCHAR DEFAULT '' NOT NULL,
    product_type VARCHAR DEFAULT '' NOT NULL, attribution_method VARCHAR DEFAULT '' NOT NULL,
    resource_id VARCHAR NOT NULL,
    CONSTRAINT uq_topic_attribution_dimensions UNIQUE (ecosystem, tenant_id, env_id,
        cluster_resource_id, topic_name, product_category, product_type, attribution_method));
CREATE TABLE topic_attribution_facts (
    "timestamp" TIMESTAMP WITH TIME ZONE NOT NULL,
    dimension_id INTEGER NOT NULL REFERENCES topic_attribution_dimensions (dimension_id),
    amount VARCHAR NOT NULL, PRIMARY KEY ("timestamp", dimension_id));
)sql";
}

}  // namespace chitragupt::importer::fixture
