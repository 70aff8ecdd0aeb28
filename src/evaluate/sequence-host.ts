/**
 * Hosts one event-sequence rule (`event A without event B within D`, by key):
 * a start sends *true* to the key's alert machine, whose `for` is the `within`
 * duration; an end with the same key sends *false*. Instances that are over
 * (back to inactive, or resolved) are deleted: keys such as job ids are unique,
 * and keeping each one for ever would grow the store without bound.
 */
import type { VigilEvent } from '../core/index.js';
import type { CompiledRule, ConditionIR } from '../language/index.js';
import { AlertDriver } from './alert-driver.js';
import type { BatchEffects } from './batch-effects.js';
import { alertActorId, groupOf } from './group-key.js';
import type { HostContext, RuleHost } from './host.js';

type Sequence = Extract<ConditionIR, { kind: 'sequence' }>;

export class SequenceHost implements RuleHost {
  private readonly driver: AlertDriver;
  readonly sequence: Sequence;

  constructor(
    readonly rule: CompiledRule,
    private readonly ctx: HostContext,
  ) {
    if (rule.ir.condition.kind !== 'sequence') throw new Error(`rule ${rule.name} is not an event sequence`);
    this.sequence = rule.ir.condition;
    this.driver = new AlertDriver(rule, ctx);
  }

  onEvent(event: VigilEvent, fx: BatchEffects): void {
    const seq = this.sequence;
    // An event matching both is a start: `event job{phase="start"} without event job` must not end itself.
    const isEnd = !seq.start.test(event) && seq.end.test(event);
    if (!isEnd && !seq.start.test(event)) return;
    const match = isEnd ? seq.end : seq.start;
    const group = groupOf(event.tags, seq.key, (k) => match.attribute(event, k));
    const id = alertActorId(this.rule.name, group.key);
    let rec = this.ctx.instances.get(id);
    if (!rec) {
      if (isEnd) return;
      rec = this.driver.create(id, group.labels);
    }
    const cause = isEnd ? `${event.type} arrived` : `${event.type} arrived; waiting ${seq.withinMs} ms for ${seq.end.type}`;
    this.settle(this.driver.edge(rec, !isEnd, event.ts, Number.NaN, cause, fx), fx);
  }

  onDeadline(actorId: string, at: number, fx: BatchEffects): void {
    const rec = this.ctx.instances.get(actorId);
    if (rec) this.settle(this.driver.deadline(rec, at, fx), fx);
  }

  private settle(rec: ReturnType<AlertDriver['edge']>, fx: BatchEffects): void {
    const state = rec.snapshot.state;
    if (state !== 'inactive' && state !== 'resolved') return;
    this.ctx.instances.delete(rec.id);
    fx.actors.set(rec.id, null);
  }
}
