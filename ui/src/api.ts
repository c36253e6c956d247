// Every call the UI makes goes through here: the engine's own HTTP API on the same origin.
// When the engine has api.auth_token set, the first 401 asks the user for the token once (kept
// in session storage, never in the URL) and the call is retried with it as a bearer token.

export const TOKEN_KEY = 'chitragupt.token';

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

type TokenPrompt = (failed: boolean) => Promise<string>;
let prompt: TokenPrompt | null = null;
let pending: Promise<string> | null = null;

export function setTokenPrompt(p: TokenPrompt) {
  prompt = p;
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

async function askForToken(failed: boolean): Promise<string> {
  if (!prompt) throw new ApiError(401, 'unauthorized', 'this engine needs a bearer token');
  if (!pending) {
    pending = prompt(failed).then(
      (t) => {
        sessionStorage.setItem(TOKEN_KEY, t);
        pending = null;
        return t;
      },
      (e) => {
        pending = null;
        throw e;
      },
    );
  }
  return pending;
}

export interface CallOptions {
  method?: string;
  json?: unknown;
  signal?: AbortSignal;
  raw?: boolean; // return the Response (for CSV downloads)
}

export async function call<T = unknown>(url: string, opts: CallOptions = {}): Promise<T> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const headers: Record<string, string> = {};
    const t = token();
    if (t) headers.Authorization = `Bearer ${t}`;
    if (opts.json !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.json !== undefined ? JSON.stringify(opts.json) : undefined,
      signal: opts.signal,
    });
    if (res.status === 401) {
      await askForToken(t !== null);
      continue;
    }
    if (!res.ok) {
      let code = 'http_' + res.status;
      let message = res.statusText || `HTTP ${res.status}`;
      try {
        const body = await res.json();
        if (body?.error) {
          code = body.error.code ?? code;
          message = body.error.message ?? message;
        }
      } catch {
        /* not JSON */
      }
      throw new ApiError(res.status, code, message);
    }
    if (opts.raw) return res as unknown as T;
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
  throw new ApiError(401, 'unauthorized', 'the token was refused');
}

/** A tenant-scoped API path: tenantPath('prod', '/chargebacks', {page: '2'}). */
export function tenantPath(tenant: string, path: string, query: Record<string, string> = {}): string {
  const p = new URLSearchParams(query).toString();
  return `/api/v1/tenants/${encodeURIComponent(tenant)}${path}${p ? `?${p}` : ''}`;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
  pages: number;
}

export interface TenantSummary {
  tenant_name: string;
  tenant_id: string;
  ecosystem: string;
  [k: string]: unknown;
}

let openapi: Promise<Set<string>> | null = null;
/** The engine's route paths from its /openapi.json (to tell which optional features it has). */
export function engineRoutes(): Promise<Set<string>> {
  if (!openapi) {
    openapi = call<{ paths?: Record<string, unknown> }>('/openapi.json').then(
      (doc) => new Set(Object.keys(doc.paths ?? {})),
      (e) => {
        openapi = null;
        throw e;
      },
    );
  }
  return openapi;
}
