/**
 * Inhibition: while a source alert fires, matching target alerts notify
 * nobody. Sources come from a rule's own `inhibit` (targets: other rules'
 * alerts of the same scope value) and from configured inhibition rules
 * (source matchers → target matchers, with equal labels), as in Alertmanager.
 * The firing sources are few and all held in memory.
 */
import type { Tags } from '../core/index.js';
import type { CompiledMatcher } from '../language/index.js';
import type { CorrelateEffects } from './effects.js';
import type { InhibitorRecord, MatcherSpec, SuppressionReason } from './model.js';
import type { RuleLookup } from './rule-meta.js';
import { compileMatchers, matchesAll } from './silences.js';

/** A configured inhibition rule. */
export interface InhibitionRuleSpec {
  /** Shown in explanations: `inhibit_rules <name>`. */
  readonly name: string;
  readonly source: readonly MatcherSpec[];
  readonly target: readonly MatcherSpec[];
  /** Labels that must have equal values on source and target. @default [] */
  readonly equal?: readonly string[];
}

/** An alert that may be inhibited, with its labels including `alertname` and `severity`. */
export interface InhibitionTarget {
  readonly alert: string;
  readonly rule: string;
  readonly cluster: string | null;
  readonly labels: Tags;
}

interface CompiledRule {
  readonly name: string;
  readonly source: readonly CompiledMatcher[];
  readonly target: readonly CompiledMatcher[];
  readonly equal: readonly string[];
}

export class Inhibitors {
  private readonly rules: readonly CompiledRule[];
  private readonly sources = new Map<string, InhibitorRecord>();

  constructor(
    specs: readonly InhibitionRuleSpec[],
    private readonly lookup: RuleLookup,
  ) {
    this.rules = specs.map((r) => ({ name: r.name, source: compileMatchers(r.source), target: compileMatchers(r.target), equal: r.equal ?? [] }));
  }

  load(records: Iterable<InhibitorRecord>): void {
    this.sources.clear();
    for (const rec of records) this.sources.set(rec.alert, rec);
  }

  get(alert: string): InhibitorRecord | undefined {
    return this.sources.get(alert);
  }

  /** Names of the configured rules an alert with these labels is a source of. */
  configuredSourcesOf(labels: Tags): string[] {
    return this.rules.filter((r) => matchesAll(r.source, labels)).map((r) => r.name);
  }

  put(rec: InhibitorRecord, fx: CorrelateEffects): void {
    this.sources.set(rec.alert, rec);
    fx.records.set(rec.id, rec);
  }

  remove(alert: string, fx: CorrelateEffects): InhibitorRecord | undefined {
    const rec = this.sources.get(alert);
    if (!rec) return undefined;
    this.sources.delete(alert);
    fx.records.set(rec.id, null);
    return rec;
  }

  attach(alert: string, record: string, fx: CorrelateEffects): void {
    const s = this.sources.get(alert);
    if (s && !s.affected.includes(record)) this.put({ ...s, affected: [...s.affected, record] }, fx);
  }

  /** Every firing source that inhibits the target now. */
  reasons(t: InhibitionTarget): SuppressionReason[] {
    const out: SuppressionReason[] = [];
    for (const s of this.sources.values()) {
      if (s.alert === t.alert) continue;
      const by = this.inhibitsBy(s, t);
      if (by !== undefined) out.push({ kind: 'inhibition', id: s.alert, since: s.since, by });
    }
    return out;
  }

  private inhibitsBy(s: InhibitorRecord, t: InhibitionTarget): string | undefined {
    const own = this.lookup(s.rule)?.inhibit;
    if (own && s.cluster !== null && s.cluster === t.cluster && s.rule !== t.rule && matchesAll(own.matchers, t.labels)) return `rule ${s.rule}`;
    for (const name of s.configured) {
      const r = this.rules.find((x) => x.name === name);
      if (r && matchesAll(r.target, t.labels) && r.equal.every((l) => (s.labels[l] ?? '') === (t.labels[l] ?? ''))) return `inhibit_rules ${r.name}`;
    }
    return undefined;
  }
}
