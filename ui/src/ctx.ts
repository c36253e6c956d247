import { TenantSummary } from './api';
import { Query } from './url';

export interface Ctx {
  tenant: string;
  tenantInfo?: TenantSummary;
  q: Query;
  signal: AbortSignal;
  /** Applies `patch` to the URL's query (a new history entry unless replace) and re-renders. */
  set(patch: Record<string, string | null | undefined>, opts?: { replace?: boolean }): void;
  /** Goes to another page of the UI keeping tenant, dates and time zone. */
  go(path: string, extra?: Record<string, string>): void;
  /** True while the tenant's pipeline runs: exports and edits are disabled. */
  readOnly: boolean;
}

export interface PageDef {
  path: string;
  title: string;
  dates?: boolean; // the page reads start_date / end_date / timezone
  render(ctx: Ctx, root: HTMLElement): void;
}
