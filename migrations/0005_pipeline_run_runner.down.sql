ALTER TABLE pipeline_runs DROP COLUMN runner;
