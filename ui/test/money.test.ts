import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareAmounts, formatAmount, fromUnits, rankTotals, ratio, subtractAmounts, sumAmounts, toUnits } from '../src/money';

test('toUnits and fromUnits round-trip the API form exactly', () => {
  assert.equal(toUnits('12.3400'), 123400n);
  assert.equal(toUnits('-0.0001'), -1n);
  assert.equal(toUnits('7'), 70000n);
  assert.equal(fromUnits(123400n), '12.3400');
  assert.equal(fromUnits(-1n), '-0.0001');
  assert.equal(fromUnits(toUnits('98765432109876.5432')), '98765432109876.5432');
});

test('toUnits rejects what is not a decimal with at most four significant decimals', () => {
  assert.throws(() => toUnits('1e3'));
  assert.throws(() => toUnits('12.34567'));
  assert.throws(() => toUnits(''));
  assert.equal(toUnits('1.23450000'), 12345n);
});

test('sums are exact where floats are not', () => {
  assert.equal(sumAmounts(['0.1000', '0.2000']), '0.3000');
  assert.notEqual(0.1 + 0.2, 0.3);
  const many = Array.from({ length: 1000 }, () => '0.0001');
  assert.equal(sumAmounts(many), '0.1000');
  assert.equal(sumAmounts(['90071992547409.9100', '0.0100']), '90071992547409.9200');
  assert.equal(subtractAmounts('10.0000', '10.0001'), '-0.0001');
});

test('formatAmount groups thousands and keeps every digit', () => {
  assert.equal(formatAmount('1234567.8900'), '1,234,567.8900');
  assert.equal(formatAmount('-1000.0000'), '-1,000.0000');
  assert.equal(formatAmount('999.1200'), '999.1200');
  assert.equal(formatAmount(null), '—');
  assert.equal(formatAmount('1234.5'.replace(/,/g, '')), '1,234.5');
});

test('ratio is bounded and zero-safe', () => {
  assert.equal(ratio('5.0000', '10.0000'), 0.5);
  assert.equal(ratio('5.0000', '0.0000'), 0);
  assert.equal(ratio('-1.0000', '10.0000'), 0);
  assert.equal(compareAmounts('2.0000', '10.0000'), -1);
});

test('rankTotals adds buckets per key exactly, orders by amount and keeps the remainder in Other', () => {
  const rows = [
    { key: 'a', amount: '1.0000' }, { key: 'b', amount: '5.0000' }, { key: 'a', amount: '4.5000' },
    { key: 'c', amount: '0.0001' }, { key: 'd', amount: '0.0002' },
  ];
  const ranked = rankTotals(rows, 2);
  assert.deepEqual(ranked, [
    { key: 'a', amount: '5.5000' }, { key: 'b', amount: '5.0000' }, { key: 'Other (2)', amount: '0.0003' },
  ]);
  assert.equal(sumAmounts(ranked.map((r) => r.amount)), sumAmounts(rows.map((r) => r.amount)));
  assert.deepEqual(rankTotals([{ key: 'x', amount: '1.0000' }, { key: 'y', amount: '1.0000' }], 5).map((r) => r.key), ['x', 'y']);
});
