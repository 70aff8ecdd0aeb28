/** How the CLI prints: aligned tables for people, JSON for scripts, and errors that say what to do. */
import type { Metadata } from '@grpc/grpc-js';
import { decodeStatusDetails } from '../api/index.js';

/** Prints `vigil: message` on stderr and makes the command exit with 1. */
export function fail(message: string): void {
  process.stderr.write(`vigil: ${message}\n`);
  process.exitCode = 1;
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

interface GrpcLikeError {
  code?: number;
  details?: string;
  message: string;
  metadata?: Metadata;
}

/** What the client used to connect: the hints in error messages depend on it. */
export interface Connection {
  readonly server: string;
  readonly token: boolean;
  readonly tls: boolean;
}

function unreachable(e: GrpcLikeError, c: Connection): string {
  const hint = c.tls
    ? 'Is `vigil serve` running there with TLS, and does --tls-ca name the CA that signed its certificate? If it requires client certificates, pass --tls-cert and --tls-key'
    : 'Is `vigil serve` running? If it serves TLS, pass --tls-ca (or --tls) or set VIGIL_TLS_CA';
  return `cannot reach Vigil at ${c.server}: ${e.details ?? e.message}. ${hint} (set --server or VIGIL_SERVER)`;
}

/** A human message for a failed call; rule diagnostics become `FILE:LINE:COL: message`. */
export function describeError(err: unknown, connection: Connection | string, file?: string): string {
  const c = typeof connection === 'string' ? { server: connection, token: false, tls: false } : connection;
  const e = err as GrpcLikeError;
  if (e.code === 14) return unreachable(e, c);
  const details = decodeStatusDetails(e);
  const code = details.code ? ` (${details.code})` : '';
  if (e.code === 16) {
    return c.token
      ? `the server did not accept the token: ${e.details ?? e.message}${code}. Check --token / VIGIL_TOKEN`
      : `the server requires a token: pass --token or set VIGIL_TOKEN${code}`;
  }
  if (e.code === 7 && details.info.required_role) return `${e.details ?? e.message}${code}: use a token with role ${details.info.required_role} or higher`;
  if (details.code === 'RULE_VERSION_CONFLICT') return `${e.details ?? e.message}${code}: it changed since you read it; get it again, re-apply your change, and retry`;
  const located = details.violations.filter((v) => v.field.startsWith('source:'));
  if (located.length > 0) return located.map((v) => `${file ?? '<source>'}:${v.field.slice('source:'.length)}: ${v.description}${code}`).join('\n');
  return `${e.details ?? e.message}${code}`;
}
