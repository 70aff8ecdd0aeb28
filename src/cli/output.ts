/** How the CLI prints: aligned tables for people, JSON for scripts, and errors that say what to do. */
import type { Metadata } from '@grpc/grpc-js';
import { decodeStatusDetails } from '../api/index.js';

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

/** A human message for a failed call; rule diagnostics become `FILE:LINE:COL: message`. */
export function describeError(err: unknown, server: string, file?: string): string {
  const e = err as GrpcLikeError;
  if (e.code === 14) return `cannot reach Vigil at ${server}: ${e.details ?? e.message}. Is \`vigil serve\` running? (set --server or VIGIL_SERVER)`;
  const details = decodeStatusDetails(e);
  const code = details.code ? ` (${details.code})` : '';
  const located = details.violations.filter((v) => v.field.startsWith('source:'));
  if (located.length > 0) return located.map((v) => `${file ?? '<source>'}:${v.field.slice('source:'.length)}: ${v.description}${code}`).join('\n');
  return `${e.details ?? e.message}${code}`;
}
