-- Drops everything 0001_core_schema created (indexes go with their tables). Children before
-- parents, so no foreign key is ever left pointing at a dropped table.
DROP TABLE topic_attribution_facts;
DROP TABLE topic_attribution_dimensions;
DROP TABLE emission_records;
DROP TABLE tags;
DROP TABLE pipeline_state;
DROP TABLE pipeline_runs;
DROP TABLE chargeback_facts;
DROP TABLE chargeback_dimensions;
DROP TABLE ccloud_billing;
DROP TABLE billing;
DROP TABLE identities;
DROP TABLE resources;
