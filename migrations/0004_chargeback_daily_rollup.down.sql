-- The rollup is derived from chargeback_facts, which keep every amount: nothing is lost.
DROP TABLE chargeback_rollup_days;
DROP TABLE chargeback_daily;
