/** ListRules: rules in name order, filtered by name prefix and static labels, a page at a time. */
import { ArgumentError } from '../core/index.js';
import type { Engine } from '../engine.js';
import { compileSource } from '../language/index.js';
import type { StoredRule } from '../store/index.js';
import type { ListRulesRequestMsg, ListRulesResponseMsg, RuleMsg } from './messages.js';

export const maxPageSize = 1000;

interface RuleMeta {
  readonly version: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly severity: string;
}

/** Labels and severity live in the rule text; compiling it once per rule version keeps listing cheap. */
export class RuleMetaCache {
  private readonly byName = new Map<string, RuleMeta>();

  get(rule: StoredRule): RuleMeta {
    const hit = this.byName.get(rule.name);
    if (hit?.version === rule.version) return hit;
    // A stored rule that no longer compiles (after a language change) still lists, without labels.
    const compiled = compileSource(rule.source).rules[0];
    const meta = { version: rule.version, labels: compiled?.labels ?? {}, severity: compiled?.severity ?? '' };
    this.byName.set(rule.name, meta);
    return meta;
  }

  forget(name: string): void {
    this.byName.delete(name);
  }

  toMsg(r: StoredRule): RuleMsg {
    const meta = this.get(r);
    return { name: r.name, source: r.source, version: r.version, updatedAtMs: r.updatedAt, labels: { ...meta.labels }, severity: meta.severity };
  }
}

/** Page tokens are the last name of the previous page, base64url-encoded so clients treat them as opaque. */
function decodeToken(token: string): string {
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || Buffer.from(name, 'utf8').toString('base64url') !== token) throw new ArgumentError('page_token', 'is not a token this server returned');
  return name;
}

export function listRules(engine: Engine, cache: RuleMetaCache, req: ListRulesRequestMsg): ListRulesResponseMsg {
  if (req.pageSize > maxPageSize) throw new ArgumentError('page_size', `at most ${maxPageSize}`);
  const pageSize = req.pageSize || maxPageSize;
  const after = req.pageToken ? decodeToken(req.pageToken) : undefined;
  const labels = Object.entries(req.labels ?? {});
  const prefix = req.namePrefix ?? '';
  const start = after !== undefined && after > prefix ? after : prefix;
  const page: RuleMsg[] = [];
  let more = false;
  // Names sort, so the rules with a prefix are one contiguous run starting at it.
  for (const { value } of engine.store.rules.getRange({ start })) {
    if (!value.name.startsWith(prefix)) break;
    if (after !== undefined && value.name <= after) continue;
    const msg = cache.toMsg(value);
    if (!labels.every(([k, v]) => msg.labels[k] === v)) continue;
    if (page.length === pageSize) {
      more = true;
      break;
    }
    page.push(msg);
  }
  return { rules: page, nextPageToken: more ? Buffer.from(page.at(-1)!.name, 'utf8').toString('base64url') : '' };
}
