/** Label matchers in Alertmanager's syntax: `name="value"`, `name!="value"`, `name=~"re"`, `name!~"re"`. */
import { ConfigError, type Tags } from '../core/index.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
  readonly test: (labels: Tags) => boolean;
}

const syntax = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/;

/** Parses one matcher; `where` names the config key for the error. */
export function parseMatcher(text: string, where: string): Matcher {
  const m = syntax.exec(text);
  if (!m) throw new ConfigError(`${where}: "${text}" is not a matcher like name="value", name!="value", name=~"regex" or name!~"regex"`);
  const name = m[1]!;
  const op = m[2] as MatchOp;
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
  // A missing label reads as "" (as in Alertmanager), so name!="x" matches alerts without it.
  const read = (labels: Tags): string => labels[name] ?? '';
  if (op === '=') return { name, op, value, test: (l) => read(l) === value };
  if (op === '!=') return { name, op, value, test: (l) => read(l) !== value };
  let re: RegExp;
  try {
    // Anchored like Prometheus: the whole value must match.
    re = new RegExp(`^(?:${value})$`);
  } catch (e) {
    throw new ConfigError(`${where}: bad regular expression in "${text}": ${(e as Error).message}`);
  }
  return op === '=~' ? { name, op, value, test: (l) => re.test(read(l)) } : { name, op, value, test: (l) => !re.test(read(l)) };
}

export function matchesAll(matchers: readonly Matcher[], labels: Tags): boolean {
  return matchers.every((m) => m.test(labels));
}
