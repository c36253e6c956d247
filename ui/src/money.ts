// Money arrives from the API as decimal strings ("1234.5600"). The UI shows them exactly as
// given (with thousands separators) and never adds floats: where it needs a sum (several time
// buckets of one identity, or "Other" = total - top N) it adds exact integers of 0.0001 with
// BigInt. Floats are used only for pixel widths.

const SCALE_DIGITS = 4;

/** "12.34" -> 123400n (units of 0.0001). Throws on text that is not a plain decimal. */
export function toUnits(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal amount: ${JSON.stringify(text)}`);
  const frac = (m[3] ?? '').padEnd(SCALE_DIGITS, '0');
  if (frac.length > SCALE_DIGITS && /[1-9]/.test(frac.slice(SCALE_DIGITS))) {
    throw new Error(`more than ${SCALE_DIGITS} decimals: ${text}`);
  }
  const units = BigInt(m[2]) * 10000n + BigInt(frac.slice(0, SCALE_DIGITS));
  return m[1] === '-' ? -units : units;
}

/** 123400n -> "12.3400" (the API's own form). */
export function fromUnits(units: bigint): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const whole = abs / 10000n;
  const frac = (abs % 10000n).toString().padStart(SCALE_DIGITS, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

/** Exact sum of decimal strings. */
export function sumAmounts(amounts: string[]): string {
  let total = 0n;
  for (const a of amounts) total += toUnits(a);
  return fromUnits(total);
}

export function subtractAmounts(a: string, b: string): string {
  return fromUnits(toUnits(a) - toUnits(b));
}

/** Inserts thousands separators into a decimal string without changing a digit. */
export function formatAmount(text: string | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—';
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (!m) return text;
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

/** a / max as a number in [0, 1] for bar widths (display only). */
export function ratio(a: string, max: string): number {
  const m = toUnits(max);
  if (m <= 0n) return 0;
  const r = Number((toUnits(a) * 1000000n) / m) / 1000000;
  return Math.max(0, Math.min(1, r));
}

export function compareAmounts(a: string, b: string): number {
  const d = toUnits(a) - toUnits(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export interface Ranked {
  key: string;
  amount: string;
}

/**
 * Totals per key over many rows (exact), sorted by amount descending then key, cut to `top`
 * with one "Other" row holding the exact remainder.
 */
export function rankTotals(rows: Ranked[], top: number, otherLabel = 'Other'): Ranked[] {
  const totals = new Map<string, bigint>();
  for (const r of rows) totals.set(r.key, (totals.get(r.key) ?? 0n) + toUnits(r.amount));
  const sorted = [...totals.entries()].sort((a, b) =>
    a[1] === b[1] ? (a[0] < b[0] ? -1 : 1) : a[1] > b[1] ? -1 : 1,
  );
  const head = sorted.slice(0, top).map(([key, v]) => ({ key, amount: fromUnits(v) }));
  const rest = sorted.slice(top);
  if (rest.length > 0) {
    let other = 0n;
    for (const [, v] of rest) other += v;
    head.push({ key: `${otherLabel} (${rest.length})`, amount: fromUnits(other) });
  }
  return head;
}
