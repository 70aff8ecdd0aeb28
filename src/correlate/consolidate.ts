/**
 * Consolidation: folds alert instances into what people are told. A rule with
 * a scope gets one consolidated alert per scope value (S3): it fires when its
 * first member fires unsuppressed and resolves when its last member resolves.
 * An unscoped instance is its own consolidated alert. While a member is
 * suppressed nobody is told; when the suppression ends the alert is reconciled
 * (still firing → a new firing; cleared meanwhile → nothing), see docs/correlation.md.
 */
import type { AlertEvent, Tags } from '../core/index.js';
import type { CorrelateEffects } from './effects.js';
import { inhibitorId, subjectOf, type SubjectKey } from './ids.js';
import type { Incidents } from './incidents.js';
import type { Inhibitors } from './inhibition.js';
import { CORRELATE_RECORD_VERSION, type ConsolidatedMember, type ConsolidatedRecord, type CorrelatedEvent, type Decision, type SuppressionReason } from './model.js';
import type { RecordCache } from './record-cache.js';
import type { RuleCorrelation, RuleLookup } from './rule-meta.js';
import { silenceReason, type Silences } from './silences.js';

/** What consolidation needs to know of clusters (implemented by `Clusters`). */
export interface ClusterView {
  /** Why the cluster's alerts are held back as a whole (upgrade, maintenance, unreachable), or null. */
  windowOf(cluster: string | null): SuppressionReason | null;
  /** Keeps the list of consolidated alerts to reconcile when the cluster's window ends. */
  attach(cluster: string, record: string, fx: CorrelateEffects): void;
  detach(cluster: string, record: string, fx: CorrelateEffects): void;
}

export interface ConsolidatorDeps {
  readonly records: RecordCache;
  readonly rules: RuleLookup;
  readonly silences: Silences;
  readonly inhibitors: Inhibitors;
  readonly incidents: Incidents;
  readonly clusters: ClusterView;
  /** Sequence numbers of notifications. */
  readonly nextSeq: () => number;
}

interface Outcome {
  /** What people were told because of this reconciliation. */
  readonly told?: CorrelatedEvent;
  /** Why nothing was told although something is firing (or a resolution waits for a window to end). */
  readonly held?: SuppressionReason;
}

/** Labels matchers see: the alert's labels plus `alertname` and `severity`, as in delivery and Alertmanager. */
export function matchLabels(rule: string, severity: string, labels: Tags): Tags {
  return { alertname: rule, severity, ...labels };
}

export class Consolidator {
  constructor(private readonly d: ConsolidatorDeps) {}

  /** Applies one alert transition and says what it meant for who hears about it. */
  onTransition(e: AlertEvent, fx: CorrelateEffects): Decision {
    const base = { event: e.id, alert: e.alert, ts: e.ts };
    if (e.to !== 'firing' && e.from !== 'firing') return { ...base, verdict: 'none' };
    const meta = this.d.rules(e.rule);
    const key = subjectOf(e.alert, e.rule, e.labels, meta?.scope);
    const before = this.d.records.get(key.record, 'consolidated') ?? this.create(key, e, meta, fx);
    const members: Record<string, ConsolidatedMember> = { ...before.members };
    if (e.to === 'firing') members[e.alert] = { labels: e.labels, since: e.ts, value: e.value };
    else delete members[e.alert];
    const rec: ConsolidatedRecord = {
      ...before,
      members,
      severity: e.severity,
      // Rendered by evaluate for this transition's value: a resolution says what cleared it.
      ...(e.annotations ? { annotations: e.annotations } : {}),
    };
    if (e.to === 'firing') this.startInhibiting(e, meta, key.cluster, fx);
    const outcome = this.reconcile(rec, e.ts, e.id, fx, e.value);
    if (e.from === 'firing') this.stopInhibiting(e.alert, e.ts, fx);
    const subject = { subject: key.subject };
    if (outcome.told) return { ...base, ...subject, verdict: 'notify', notification: outcome.told.id };
    // A member of an alert people already know of is still reported as suppressed if it is.
    const member = members[e.alert] ?? before.members[e.alert];
    const own = member ? this.reasonsFor(rec, e.alert, member, e.ts)[0] : undefined;
    const reason = this.d.clusters.windowOf(rec.cluster) ?? own ?? outcome.held;
    if (reason) return { ...base, ...subject, verdict: 'suppressed', reason };
    return { ...base, ...subject, verdict: 'folded' };
  }

  /** A suppression ended at `ts`: reconcile the consolidated alerts it held back. */
  release(records: readonly string[], ts: number, cause: string, fx: CorrelateEffects): void {
    for (const id of records) {
      const rec = this.d.records.get(id, 'consolidated');
      if (rec) this.reconcile(rec, ts, cause, fx);
    }
  }

  /**
   * A rule was deleted: what people were told fires resolves now, and its
   * consolidated alerts and inhibitors go. Called between batches, so the
   * committed records are all there is.
   */
  forgetRule(rule: string, ts: number, fx: CorrelateEffects): void {
    for (const listed of this.d.records.list(`consolidated/${rule}/`, 'consolidated')) {
      const rec = this.d.records.get(listed.id, 'consolidated')!;
      for (const alert of Object.keys(rec.members)) this.stopInhibiting(alert, ts, fx);
      if (rec.told) this.tell(rec, 'resolved', ts, Number.NaN, `rule-deleted:${rule}`, fx);
      this.d.records.remove(rec.id, fx);
      if (rec.cluster !== null) this.d.clusters.detach(rec.cluster, rec.id, fx);
    }
  }

  /** Every reason a firing member is held back now, window first. */
  explainMember(rec: ConsolidatedRecord, alert: string, ts: number): SuppressionReason[] {
    const member = rec.members[alert];
    const window = this.d.clusters.windowOf(rec.cluster);
    return [...(window ? [window] : []), ...(member ? this.reasonsFor(rec, alert, member, ts) : [])];
  }

  private create(key: SubjectKey, e: AlertEvent, meta: RuleCorrelation | undefined, fx: CorrelateEffects): ConsolidatedRecord {
    const labels = key.cluster !== null ? { ...(meta?.labels ?? {}), [meta!.scope!]: key.cluster } : e.labels;
    // Only a firing member makes the record worth keeping; a clear for an unknown one is dropped again at once.
    if (key.cluster !== null && e.to === 'firing') this.d.clusters.attach(key.cluster, key.record, fx);
    return {
      kind: 'consolidated',
      v: CORRELATE_RECORD_VERSION,
      id: key.record,
      subject: key.subject,
      rule: e.rule,
      cluster: key.cluster,
      labels,
      severity: e.severity,
      // Rendered once, from the first member: the signature names the problem, not the node.
      signature: meta?.signature ? meta.signature.render({ labels: e.labels, value: e.value }) : null,
      members: {},
      told: null,
    };
  }

  /** Brings what people were told in line with the members, unless something holds it back. */
  private reconcile(rec: ConsolidatedRecord, ts: number, cause: string, fx: CorrelateEffects, value = Number.NaN): Outcome {
    let outcome: Outcome = {};
    let next = rec;
    const window = this.d.clusters.windowOf(rec.cluster);
    const firing = Object.entries(rec.members);
    if (window) {
      outcome = { held: window };
    } else if (firing.length === 0) {
      if (rec.told) {
        next = { ...rec, told: null };
        outcome = { told: this.tell(next, 'resolved', ts, value, cause, fx) };
      }
    } else if (!rec.told) {
      let held: SuppressionReason | undefined;
      for (const [alert, member] of firing) {
        const first = this.reasonsFor(rec, alert, member, ts)[0];
        if (!first) {
          next = { ...rec, told: { since: ts } };
          outcome = { told: this.tell(next, 'firing', ts, member.value, cause, fx) };
          held = undefined;
          break;
        }
        held ??= first;
        this.remember(first, rec.id, fx);
      }
      if (held) outcome = { held };
    }
    if (firing.length === 0 && next.told === null) {
      if (this.d.records.get(next.id, 'consolidated')) this.d.records.remove(next.id, fx);
      if (next.cluster !== null) this.d.clusters.detach(next.cluster, next.id, fx);
    } else {
      this.d.records.put(next, fx);
    }
    return outcome;
  }

  private tell(rec: ConsolidatedRecord, to: 'firing' | 'resolved', ts: number, value: number, cause: string, fx: CorrelateEffects): CorrelatedEvent | undefined {
    if (rec.signature !== null) return this.d.incidents.memberChange(rec, to, ts, fx);
    const seq = this.d.nextSeq();
    const event: CorrelatedEvent = {
      kind: 'alert',
      seq,
      id: `${rec.subject}#${seq}`,
      rule: rec.rule,
      alert: rec.subject,
      labels: rec.labels,
      from: to === 'firing' ? 'inactive' : 'firing',
      to,
      ts,
      value,
      severity: rec.severity,
      ...(rec.annotations ? { annotations: rec.annotations } : {}),
      cause,
    };
    fx.notifications.push(event);
    return event;
  }

  /** Member-level reasons: silences, then inhibitions. */
  private reasonsFor(rec: ConsolidatedRecord, alert: string, member: ConsolidatedMember, ts: number): SuppressionReason[] {
    const labels = matchLabels(rec.rule, rec.severity, member.labels);
    return [...this.d.silences.matching(labels, ts).map(silenceReason), ...this.d.inhibitors.reasons({ alert, rule: rec.rule, cluster: rec.cluster, labels })];
  }

  /** So that the end of this suppression reconciles the record. Windows keep their own list (ClusterView.attach). */
  private remember(reason: SuppressionReason, record: string, fx: CorrelateEffects): void {
    if (reason.kind === 'silence') this.d.silences.attach(reason.id, record, fx);
    else if (reason.kind === 'inhibition') this.d.inhibitors.attach(reason.id, record, fx);
  }

  private startInhibiting(e: AlertEvent, meta: RuleCorrelation | undefined, cluster: string | null, fx: CorrelateEffects): void {
    const labels = matchLabels(e.rule, e.severity, e.labels);
    const configured = this.d.inhibitors.configuredSourcesOf(labels);
    if (!meta?.inhibit && configured.length === 0) return;
    if (this.d.inhibitors.get(e.alert)) return;
    this.d.inhibitors.put({ kind: 'inhibitor', v: CORRELATE_RECORD_VERSION, id: inhibitorId(e.alert), alert: e.alert, rule: e.rule, labels, cluster, since: e.ts, configured, affected: [] }, fx);
  }

  private stopInhibiting(alert: string, ts: number, fx: CorrelateEffects): void {
    const rec = this.d.inhibitors.remove(alert, fx);
    if (rec) this.release(rec.affected, ts, `release:inhibition:${alert}`, fx);
  }
}
