/**
 * HTTP for receivers over global fetch: one attempt, classified into success,
 * temporary, rate-limited or permanent failure. Error messages carry the
 * status and a short body excerpt, never the URL (webhook URLs are secrets).
 */
import type { Clock } from '../../core/index.js';
import { DeliveryRejectedError, ReceiverRateLimitedError, ReceiverUnavailableError } from '../errors.js';

export interface HttpRequest {
  readonly receiver: string;
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** Sent as is when a string, as JSON otherwise. */
  readonly body?: unknown;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly clock: Clock;
}

export interface HttpResponse {
  readonly status: number;
  readonly text: string;
  json<T>(): T;
}

const excerptChars = 200;

/** Performs one request; resolves for 2xx, throws a DeliveryError for anything else. */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const body = req.body === undefined || typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  const headers: Record<string, string> = { ...(body !== undefined && typeof req.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...req.headers };
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs)]),
    });
  } catch (e) {
    throw new ReceiverUnavailableError(req.receiver, `request failed: ${describeFetchError(e)}`, { cause: e });
  }
  const text = await res.text().catch(() => '');
  if (res.ok) return { status: res.status, text, json: <T>() => JSON.parse(text) as T };
  const detail = `HTTP ${res.status}${text ? `: ${text.slice(0, excerptChars)}` : ''}`;
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), req.clock.now());
  const options = { status: res.status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (res.status === 429) throw new ReceiverRateLimitedError(req.receiver, detail, options);
  if (isTemporaryStatus(res.status)) throw new ReceiverUnavailableError(req.receiver, detail, options);
  throw new DeliveryRejectedError(req.receiver, detail, options);
}

/** 5xx, request timeout and conflicts from a busy backend are worth retrying; other 4xx are not. */
export function isTemporaryStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 425;
}

/** Retry-After as delta-seconds or an HTTP date, in ms from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function describeFetchError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === 'TimeoutError') return 'timed out';
  if (e.name === 'AbortError') return 'aborted';
  const cause = e.cause as { code?: string } | undefined;
  // The cause code (ECONNREFUSED, ENOTFOUND) says what went wrong without echoing the URL.
  return cause?.code ?? e.message;
}
