-- Which engine process ran each pipeline run: "<host name>:<process id>" (in Kubernetes the
-- host name is the pod's). With several processes sharing a tenant's PostgreSQL database
-- (scale-out, docs/operations.md) each run names its one runner. NULL for runs recorded before
-- this migration.
ALTER TABLE pipeline_runs ADD COLUMN runner TEXT;
