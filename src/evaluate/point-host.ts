/**
 * Hosts one point rule (`when <selector> <cmp> <number>`): evaluates the
 * condition on each routed point, in event-time order, and drives the alert
 * machine of the point's group with edges only.
 */
import type { DataPoint } from '../core/index.js';
import type { CompiledRule } from '../language/index.js';
import { AlertDriver } from './alert-driver.js';
import type { BatchEffects } from './batch-effects.js';
import { alertActorId, groupKey, groupOf } from './group-key.js';
import type { HostContext, RuleHost } from './host.js';

export class PointHost implements RuleHost {
  private readonly driver: AlertDriver;
  private readonly condition: (value: number) => boolean;
  private readonly prefix: string;

  constructor(
    readonly rule: CompiledRule,
    private readonly ctx: HostContext,
  ) {
    if (!rule.condition) throw new Error(`rule ${rule.name} is not a point rule`);
    this.condition = rule.condition;
    this.driver = new AlertDriver(rule, ctx);
    this.prefix = alertActorId(rule.name, '');
  }

  onPoint(point: DataPoint, fx: BatchEffects): void {
    const cond = this.condition(point.value);
    const names = this.rule.groupBy ?? Object.keys(point.tags).sort();
    const id = this.prefix + groupKey(point.tags, names);
    let rec = this.ctx.instances.get(id);
    if (!rec) {
      // A group whose condition never held needs no state at all.
      if (!cond) return;
      rec = this.driver.create(id, groupOf(point.tags, names).labels);
    }
    this.driver.edge(rec, cond, point.ts, point.value, `${this.rule.conditionText} is ${cond} (value ${point.value})`, fx);
  }

  onDeadline(actorId: string, at: number, fx: BatchEffects): void {
    const rec = this.ctx.instances.get(actorId);
    if (rec) this.driver.deadline(rec, at, fx);
  }
}
