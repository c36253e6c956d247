-- Back to 0001's chargeback_facts: WITHOUT ROWID, with the (dimension_id, timestamp) index.
CREATE TABLE chargeback_facts_0001 (
  timestamp TEXT NOT NULL,
  dimension_id INTEGER NOT NULL
    CONSTRAINT fk_chargeback_facts_dimension_id_chargeback_dimensions
    REFERENCES chargeback_dimensions (dimension_id),
  amount BIGINT NOT NULL,
  tags_json TEXT NOT NULL DEFAULT '[]',
  CONSTRAINT pk_chargeback_facts PRIMARY KEY (timestamp, dimension_id)
) WITHOUT ROWID;
INSERT INTO chargeback_facts_0001 (timestamp, dimension_id, amount, tags_json)
  SELECT timestamp, dimension_id, amount, tags_json FROM chargeback_facts;
DROP TABLE chargeback_facts;
ALTER TABLE chargeback_facts_0001 RENAME TO chargeback_facts;
CREATE INDEX ix_chargeback_facts_dimension_timestamp ON chargeback_facts (dimension_id, timestamp);
