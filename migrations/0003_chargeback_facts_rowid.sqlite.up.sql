-- SQLite: chargeback_facts becomes an ordinary (rowid) table, and the index that finds a
-- dimension's facts (foreign-key checks, orphan-dimension cleanup) holds the dimension id alone.
--
-- The calculate stage commits date by date, and each date adds one fact next to every
-- dimension's previous one, so every commit rewrites nearly every leaf of that index into the
-- WAL. In the WITHOUT ROWID table of 0001 its entries carried the whole key (dimension id and
-- timestamp text, ~28 bytes); now an entry is the dimension id and a rowid (~9 bytes), and the
-- facts themselves and their (timestamp, dimension_id) key are appended date after date. A
-- month's first calculation writes half the WAL and runs about a quarter faster; the primary
-- key, columns, types and the foreign key are unchanged. On PostgreSQL 0003 only narrows the
-- index the same way.
--
-- Rebuilt by copying (SQLite cannot change a table's kind in place): the time this takes grows
-- with the number of facts; the pre-0003 backup is written first, as for every migration.
CREATE TABLE chargeback_facts_0003 (
  timestamp TEXT NOT NULL,
  dimension_id INTEGER NOT NULL
    CONSTRAINT fk_chargeback_facts_dimension_id_chargeback_dimensions
    REFERENCES chargeback_dimensions (dimension_id),
  amount BIGINT NOT NULL,
  tags_json TEXT NOT NULL DEFAULT '[]',
  CONSTRAINT pk_chargeback_facts PRIMARY KEY (timestamp, dimension_id)
);
INSERT INTO chargeback_facts_0003 (timestamp, dimension_id, amount, tags_json)
  SELECT timestamp, dimension_id, amount, tags_json FROM chargeback_facts
  ORDER BY timestamp, dimension_id;
DROP TABLE chargeback_facts;
ALTER TABLE chargeback_facts_0003 RENAME TO chargeback_facts;
CREATE INDEX ix_chargeback_facts_dimension ON chargeback_facts (dimension_id);
