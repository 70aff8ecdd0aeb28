/** The `correlate:` section: cluster lifecycle time-outs, the cluster tag, and configured inhibition rules (docs/correlation.md). */
import { parseMatcher, type InhibitionRuleSpec, type MatcherSpec } from '../correlate/index.js';
import { ConfigError, VigilError } from '../core/index.js';

export interface CorrelationConfig {
  /** An upgrade without a declared end times out after this long and raises `vigil:cluster_upgrade_timeout`. @default 7200000 (2 h) */
  upgradeTimeoutMs: number;
  /** A cluster that sent heartbeats and then none for this long becomes unreachable; 0 switches it off. @default 300000 (5 min) */
  heartbeatTimeoutMs: number;
  /** The tag (else field) of lifecycle events naming the cluster. @default 'cluster' */
  clusterTag: string;
  /** Alertmanager-style rules: while an alert matching `source` fires, alerts matching `target` with equal `equal` labels are inhibited. @default [] */
  inhibitions: InhibitionRuleSpec[];
}

export const defaultCorrelationConfig: CorrelationConfig = { upgradeTimeoutMs: 7_200_000, heartbeatTimeoutMs: 300_000, clusterTag: 'cluster', inhibitions: [] };

function matchers(raw: unknown, where: string): MatcherSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError(`${where}: must be a non-empty list of matchers such as "severity=critical"`);
  return raw.map((m, i) => {
    try {
      if (typeof m === 'string') return parseMatcher(m, `${where}[${i}]`);
      if (m !== null && typeof m === 'object') {
        const { label, op, value } = m as Record<string, unknown>;
        if (typeof label === 'string' && typeof op === 'string' && typeof value === 'string') return parseMatcher(`${label}${op}${JSON.stringify(value)}`, `${where}[${i}]`);
      }
    } catch (e) {
      if (e instanceof VigilError) throw new ConfigError(e.message);
      throw e;
    }
    throw new ConfigError(`${where}[${i}]: write a matcher as "label=value" (or =~, !=, !~), or as { label, op, value }`);
  });
}

/** Checks the configured inhibition rules; `where` names the file for errors. */
export function parseInhibitions(raw: unknown, where: string): InhibitionRuleSpec[] {
  if (!Array.isArray(raw)) throw new ConfigError(`${where}: must be a list of { name, source, target, equal }`);
  const names = new Set<string>();
  return raw.map((r, i) => {
    const at = `${where}[${i}]`;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new ConfigError(`${at}: must be a mapping { name, source, target, equal }`);
    const { name, source, target, equal, ...rest } = r as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new ConfigError(`${at}: unknown key "${unknown[0]}"`);
    if (typeof name !== 'string' || name === '') throw new ConfigError(`${at}.name: must be a non-empty string`);
    if (names.has(name)) throw new ConfigError(`${at}.name: "${name}" is used twice`);
    names.add(name);
    if (equal !== undefined && (!Array.isArray(equal) || !equal.every((l) => typeof l === 'string' && l !== ''))) throw new ConfigError(`${at}.equal: must be a list of label names`);
    return { name, source: matchers(source, `${at}.source`), target: matchers(target, `${at}.target`), equal: (equal as string[] | undefined) ?? [] };
  });
}
