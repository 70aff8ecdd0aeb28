/**
 * Drives the alert-instance machines of one rule: sends edges (never one event
 * per point), records transitions in the alert event log, and keeps the
 * machine's deadline and the group's absence deadline in the deadline queue and
 * in the batch's effects. Shared by point, step and sequence hosts.
 */
import { initialAlertSnapshot, stepAlert, withTiming, type AlertInstanceEvent, type AlertInstanceSnapshot, type AlertTiming } from '../../actors/index.js';
import type { AlertState, Tags } from '../core/index.js';
import type { CompiledRule, RuleIR } from '../language/index.js';
import { ALERT_RECORD_VERSION, type AlertRecord, type TransitionRecord } from '../store/index.js';
import type { BatchEffects } from './batch-effects.js';
import type { HostContext } from './host.js';

/** The machine timing a rule implies (see docs/evaluation.md, "Edges and the alert machine"). */
export function timingOf(ir: RuleIR): AlertTiming {
  const t = ir.temporal;
  let forMs = 0;
  if (ir.condition.kind === 'sequence') forMs = ir.condition.withinMs;
  else if (ir.mode === 'step' && t.for?.steps) forMs = (t.for.steps - 1) * ir.stepMs;
  else if (t.for) forMs = t.for.ms;
  return { forMs, keepFiringMs: t.keepFiringMs ?? 0, flapChanges: t.flapping?.changes ?? 0, flapWithinMs: t.flapping?.withinMs ?? 0 };
}

/**
 * A concatenated string is a tree of V8 cons-string nodes until something reads
 * it; causes and ids live as long as their instance, so flatten them once.
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

export class AlertDriver {
  readonly timing: AlertTiming;
  private readonly ir: RuleIR;
  private readonly hasStaticLabels: boolean;

  constructor(
    readonly rule: CompiledRule,
    private readonly ctx: HostContext,
  ) {
    this.ir = rule.ir;
    this.timing = timingOf(rule.ir);
    this.hasStaticLabels = Object.keys(rule.ir.meta.labels).length > 0;
  }

  /** A fresh record for a group seen for the first time. */
  create(id: string, groupLabels: Tags): AlertRecord {
    return {
      kind: 'alert',
      v: ALERT_RECORD_VERSION,
      id: flat(id),
      rule: this.rule.name,
      // The group's own labels object when the rule adds none: one object less per instance.
      labels: this.hasStaticLabels ? { ...groupLabels, ...this.ir.meta.labels } : groupLabels,
      snapshot: initialAlertSnapshot(this.timing),
      condition: false,
      transitions: 0,
      lastSeen: Number.NEGATIVE_INFINITY,
      history: [],
    };
  }

  /** Sends `truth` if it differs from the last edge sent; returns the record as it is now. */
  edge(rec: AlertRecord, truth: boolean, ts: number, value: number, cause: string, fx: BatchEffects): AlertRecord {
    if (rec.condition === truth) return rec;
    const event: AlertInstanceEvent = { type: truth ? 'condition.true' : 'condition.false', ts, value };
    return this.apply(rec, event, { condition: truth }, value, cause, fx);
  }

  /** Notes data of the group at `ts` for `no data for`, arming the absence deadline if none is armed. */
  sawData(rec: AlertRecord, ts: number, fx: BatchEffects): AlertRecord {
    const nd = this.ir.noData;
    if (!nd || (rec.lastData ?? Number.NEGATIVE_INFINITY) >= ts) return rec;
    // The armed deadline is moved lazily when it comes due (one write per absence window, not per point).
    if (rec.noDataAt === undefined || rec.noDataAt === null) {
      this.arm(rec.id, ts + nd.afterMs, fx);
      return this.save({ ...rec, lastData: ts, noDataAt: ts + nd.afterMs }, fx);
    }
    // The per-sample case: updated in place, like the step state, instead of copying the record for every point.
    // The caller puts the record in the batch; after a failed commit memory is reloaded from the store.
    (rec as { lastData?: number }).lastData = ts;
    return rec;
  }

  /** A deadline of this instance came due; stale ones are ignored. */
  deadline(rec: AlertRecord, at: number, fx: BatchEffects): AlertRecord {
    let cur = rec;
    if (cur.snapshot.context.deadline === at) {
      const c = cur.snapshot.context;
      const cause = c.hold === 'keep' ? `kept firing for ${c.keepFiringMs} ms` : c.hold === 'flap' ? `flapping: held until quiet for ${c.flapWithinMs} ms` : `held for ${c.forMs} ms`;
      cur = this.apply(cur, { type: 'deadline', ts: at }, {}, c.lastValue, cause, fx);
    }
    const nd = this.ir.noData;
    if (nd && cur.noDataAt === at) {
      fx.deadlinesRemoved.push([at, cur.id]);
      const due = (cur.lastData ?? Number.NEGATIVE_INFINITY) + nd.afterMs;
      if (due > at) {
        // Data came after the deadline was armed: move it.
        this.arm(cur.id, due, fx);
        return this.save({ ...cur, noDataAt: due }, fx);
      }
      cur = this.save({ ...cur, noDataAt: null }, fx);
      if (nd.action !== 'hold') {
        cur = this.apply(cur, { type: 'nodata', ts: at, action: nd.action }, { condition: null }, Number.NaN, `no data for ${nd.afterMs} ms`, fx);
      }
    }
    return cur;
  }

  /** Writes a changed record to memory and to the batch. */
  save(rec: AlertRecord, fx: BatchEffects): AlertRecord {
    this.ctx.instances.set(rec.id, rec);
    fx.actors.set(rec.id, rec);
    return rec;
  }

  private arm(id: string, at: number, fx: BatchEffects): void {
    fx.deadlinesAdded.push([at, id]);
    this.ctx.deadlines.push({ at, actorId: id });
  }

  private apply(
    rec: AlertRecord,
    event: AlertInstanceEvent,
    patch: Partial<Pick<AlertRecord, 'condition'>>,
    value: number,
    cause: string,
    fx: BatchEffects,
  ): AlertRecord {
    const before: AlertInstanceSnapshot = withTiming(rec.snapshot, this.timing);
    const after = stepAlert(before, event);
    let next: AlertRecord = { ...rec, ...patch, lastSeen: Math.max(rec.lastSeen, event.ts), snapshot: after };
    if (after.state !== before.state) {
      const transitions = rec.transitions + 1;
      const t: TransitionRecord = { from: before.state as AlertState, to: after.state as AlertState, ts: event.ts, value, cause: flat(cause) };
      next = { ...next, transitions, history: [...rec.history, t].slice(-this.ctx.historyLimit) };
      // The log sequence, not the per-instance count, makes the id unique for ever: a rule
      // deleted and created again starts counting transitions from 1, the log never reuses a number.
      const seq = this.ctx.nextSeq();
      const annotations = this.annotations(rec.labels, value);
      fx.events.push({
        seq,
        id: `${rec.id}#${seq}`,
        rule: rec.rule,
        alert: rec.id,
        labels: rec.labels,
        from: t.from,
        to: t.to,
        ts: event.ts,
        value,
        severity: this.ir.meta.severity,
        ...(annotations ? { annotations } : {}),
        ...(after.context.noData ? { noData: true } : {}),
      });
    }
    const oldDeadline = before.context.deadline;
    const newDeadline = after.context.deadline;
    if (oldDeadline !== newDeadline) {
      if (oldDeadline !== null) fx.deadlinesRemoved.push([oldDeadline, rec.id]);
      if (newDeadline !== null) this.arm(rec.id, newDeadline, fx);
    }
    return this.save(next, fx);
  }

  private annotations(labels: Tags, value: number): Record<string, string> | undefined {
    const entries = Object.entries(this.ir.meta.annotations);
    if (entries.length === 0) return undefined;
    const v = Number.isNaN(value) ? undefined : value;
    return Object.fromEntries(entries.map(([k, t]) => [k, t.render({ labels, value: v })]));
  }
}
