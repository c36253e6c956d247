-- The index that finds a dimension's facts (foreign-key checks, orphan-dimension cleanup) holds
-- the dimension id alone, as on SQLite (see 0003_chargeback_facts_rowid.sqlite.up.sql, where
-- the table itself is rebuilt). No query looks facts up by dimension and time together: reports
-- read a time range through the primary key (timestamp, dimension_id).
DROP INDEX ix_chargeback_facts_dimension_timestamp;
CREATE INDEX ix_chargeback_facts_dimension ON chargeback_facts (dimension_id);
