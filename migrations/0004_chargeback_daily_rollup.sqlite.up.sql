-- A daily rollup of chargeback facts, so that day, week and month aggregates read one row per
-- dimension and UTC day instead of every fact (issue 14).
--
-- chargeback_daily holds, for each UTC day and dimension, the sum of the facts' amounts and
-- their number. A tenant's day has rollup rows only when they halve its facts (hourly facts do,
-- 24 to 1); chargeback_rollup_days lists those (tenant, day) pairs, and a report reads the
-- rollup for a listed day that it covers whole, and the facts otherwise. A day of daily facts
-- (one per dimension) is not rolled up: its rollup would be as large as its facts.
--
-- The calculate stage keeps both tables in the transaction that writes a date's facts;
-- retention drops them with the facts. Here they are built once for the facts already stored.
CREATE TABLE chargeback_daily (
  day TEXT NOT NULL,
  dimension_id INTEGER NOT NULL,
  amount BIGINT NOT NULL,
  row_count BIGINT NOT NULL,
  CONSTRAINT pk_chargeback_daily PRIMARY KEY (day, dimension_id)
) WITHOUT ROWID;
CREATE TABLE chargeback_rollup_days (
  ecosystem TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  day TEXT NOT NULL,
  CONSTRAINT pk_chargeback_rollup_days PRIMARY KEY (ecosystem, tenant_id, day)
);
INSERT INTO chargeback_daily (day, dimension_id, amount, row_count)
  SELECT substr(timestamp, 1, 10), dimension_id, SUM(amount), COUNT(*) FROM chargeback_facts
  GROUP BY substr(timestamp, 1, 10), dimension_id;
INSERT INTO chargeback_rollup_days (ecosystem, tenant_id, day)
  SELECT d.ecosystem, d.tenant_id, r.day FROM chargeback_daily r
  JOIN chargeback_dimensions d ON d.dimension_id = r.dimension_id
  GROUP BY d.ecosystem, d.tenant_id, r.day HAVING 2 * COUNT(*) <= SUM(r.row_count);
DELETE FROM chargeback_daily WHERE NOT EXISTS (
  SELECT 1 FROM chargeback_dimensions d JOIN chargeback_rollup_days m
    ON m.ecosystem = d.ecosystem AND m.tenant_id = d.tenant_id
  WHERE d.dimension_id = chargeback_daily.dimension_id AND m.day = chargeback_daily.day);
