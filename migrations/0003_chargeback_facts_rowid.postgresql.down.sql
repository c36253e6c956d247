DROP INDEX ix_chargeback_facts_dimension;
CREATE INDEX ix_chargeback_facts_dimension_timestamp ON chargeback_facts (dimension_id, timestamp);
