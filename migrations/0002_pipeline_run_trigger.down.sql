-- The index first: a column that is indexed cannot be dropped (SQLite).
DROP INDEX ix_pipeline_runs_tenant_started;
ALTER TABLE pipeline_runs DROP COLUMN "trigger";
