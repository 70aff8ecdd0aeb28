/**
 * Hosts one rule: evaluates its condition on every routed point and drives the
 * alert-instance machine of each group with edges only. Instances load lazily
 * from the store on their first point.
 */
import { initialAlertSnapshot, stepAlert, type AlertInstanceEvent, type AlertInstanceSnapshot } from '../../actors/index.js';
import type { AlertState, DataPoint } from '../core/index.js';
import type { CompiledRule } from '../language/index.js';
import { ALERT_RECORD_VERSION, type AlertRecord, type TransitionRecord } from '../store/index.js';
import type { BatchEffects } from './batch-effects.js';
import type { DeadlineQueue } from './deadline-queue.js';
import type { ResidentSet } from './resident-set.js';
import { alertActorId, groupOf } from './group-key.js';

/** Reads committed actor records (the store, in production). */
export interface ActorLoader {
  get(id: string): AlertRecord | undefined;
}

/** A rule of the shape this host evaluates: one selector compared with a number, per point. */
export type RunnableRule = CompiledRule & Required<Pick<CompiledRule, 'selector' | 'condition' | 'conditionText'>>;

export function isRunnable(rule: CompiledRule): rule is RunnableRule {
  return rule.selector !== undefined && rule.condition !== undefined && rule.conditionText !== undefined;
}

export interface RuleHostOptions {
  /** Transitions kept per instance for inspection. @default 20 */
  historyLimit?: number;
}

export class RuleHost {
  private readonly historyLimit: number;

  constructor(
    readonly rule: RunnableRule,
    /** Shared by all hosts of the partition, so the memory budget is global. */
    private readonly instances: ResidentSet,
    private readonly deadlines: DeadlineQueue,
    private readonly nextSeq: () => number,
    options: RuleHostOptions = {},
  ) {
    this.historyLimit = options.historyLimit ?? 20;
  }

  onPoint(point: DataPoint, fx: BatchEffects): void {
    const cond = this.rule.condition(point.value);
    const group = groupOf(point.tags, this.rule.groupBy);
    const id = alertActorId(this.rule.name, group.key);
    let rec = this.instances.get(id);
    if (!rec) {
      // A group whose condition never held needs no state at all.
      if (!cond) return;
      rec = {
        kind: 'alert',
        v: ALERT_RECORD_VERSION,
        id,
        rule: this.rule.name,
        labels: { ...group.labels, ...this.rule.labels },
        snapshot: initialAlertSnapshot(this.rule.forMs),
        condition: false,
        transitions: 0,
        lastSeen: point.ts,
        history: [],
      };
    }
    if (cond === rec.condition) return;
    const event: AlertInstanceEvent = { type: cond ? 'condition.true' : 'condition.false', ts: point.ts, value: point.value };
    this.apply(rec, event, { condition: cond, lastSeen: point.ts }, point.value, `${this.rule.conditionText} is ${cond} (value ${point.value})`, fx);
  }

  /** A deadline this host armed has passed the watermark. Stale ones are ignored. */
  onDeadline(id: string, at: number, fx: BatchEffects): void {
    const rec = this.instances.get(id);
    if (!rec || rec.snapshot.context.deadline !== at) return;
    this.apply(rec, { type: 'deadline', ts: at }, {}, rec.snapshot.context.lastValue, `held for ${this.rule.forMs} ms`, fx);
  }

  private apply(
    rec: AlertRecord,
    event: AlertInstanceEvent,
    patch: Partial<Pick<AlertRecord, 'condition' | 'lastSeen'>>,
    value: number,
    cause: string,
    fx: BatchEffects,
  ): void {
    const before: AlertInstanceSnapshot = rec.snapshot;
    const after = stepAlert(before, event);
    let next: AlertRecord = { ...rec, ...patch, snapshot: after };
    if (after.state !== before.state) {
      const transitions = rec.transitions + 1;
      const t: TransitionRecord = { from: before.state as AlertState, to: after.state as AlertState, ts: event.ts, value, cause };
      next = { ...next, transitions, history: [...rec.history, t].slice(-this.historyLimit) };
      // The log sequence, not the per-instance count, makes the id unique for ever: a rule
      // deleted and created again starts counting transitions from 1, the log never reuses a number.
      const seq = this.nextSeq();
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
        severity: this.rule.severity,
      });
    }
    const oldDeadline = before.context.deadline;
    const newDeadline = after.context.deadline;
    if (oldDeadline !== newDeadline) {
      if (oldDeadline !== null) fx.deadlinesRemoved.push([oldDeadline, rec.id]);
      if (newDeadline !== null) {
        fx.deadlinesAdded.push([newDeadline, rec.id]);
        this.deadlines.push({ at: newDeadline, actorId: rec.id });
      }
    }
    this.instances.set(rec.id, next);
    fx.actors.set(rec.id, next);
  }
}
