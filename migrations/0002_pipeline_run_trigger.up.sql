-- What started a pipeline run, and the index behind "the tenant's latest runs".
-- "trigger" is a keyword in both engines: always quote it.
ALTER TABLE pipeline_runs ADD COLUMN "trigger" TEXT NOT NULL DEFAULT 'periodic'
  CHECK ("trigger" IN ('periodic', 'run_once', 'manual'));
CREATE INDEX ix_pipeline_runs_tenant_started ON pipeline_runs (tenant_name, started_at);
