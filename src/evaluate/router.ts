/**
 * Routes points and events to the data expressions that need them: metric
 * inputs through the query index (tag equalities indexed), event inputs and
 * sequence ends by event type. Every input of every rule is one subscription,
 * added and removed live as rules change.
 */
import type { DataPoint, VigilEvent } from '../core/index.js';
import type { EventMatch } from '../language/index.js';
import { QueryIndex } from '../route/index.js';
import type { PointHost } from './point-host.js';
import type { SequenceHost } from './sequence-host.js';
import type { StepHost } from './step-host.js';

export type AnyHost = StepHost | PointHost | SequenceHost;

export type MetricSub = { readonly kind: 'step'; readonly host: StepHost; readonly input: number } | { readonly kind: 'point'; readonly host: PointHost };
export type EventSub = ({ readonly kind: 'step'; readonly host: StepHost; readonly input: number } | { readonly kind: 'sequence'; readonly host: SequenceHost }) & {
  readonly match: EventMatch;
};

export class Router {
  private readonly metrics = new QueryIndex<MetricSub>();
  private readonly events = new Map<string, Map<string, EventSub>>();
  private readonly idsOf = new Map<string, Array<{ id: string; type?: string }>>();

  add(host: AnyHost, kind: 'step' | 'point' | 'sequence'): void {
    const name = host.rule.name;
    this.remove(name);
    const ids: Array<{ id: string; type?: string }> = [];
    const addEvent = (id: string, sub: EventSub): void => {
      let subs = this.events.get(sub.match.type);
      if (!subs) this.events.set(sub.match.type, (subs = new Map()));
      subs.set(id, sub);
      ids.push({ id, type: sub.match.type });
    };
    if (kind === 'sequence') {
      const seq = host as SequenceHost;
      addEvent(`${name}#start`, { kind: 'sequence', host: seq, match: seq.sequence.start });
      // The end only matters when it is a different event type; equal types are seen once through the start.
      if (seq.sequence.end.type !== seq.sequence.start.type) addEvent(`${name}#end`, { kind: 'sequence', host: seq, match: seq.sequence.end });
    } else {
      for (const input of host.rule.ir.inputs) {
        const id = `${name}#${input.index}`;
        if (input.source === 'event') addEvent(id, { kind: 'step', host: host as StepHost, input: input.index, match: input.events });
        else {
          this.metrics.add(id, input.selector, kind === 'point' ? { kind: 'point', host: host as PointHost } : { kind: 'step', host: host as StepHost, input: input.index });
          ids.push({ id });
        }
      }
    }
    this.idsOf.set(name, ids);
  }

  remove(rule: string): void {
    for (const { id, type } of this.idsOf.get(rule) ?? []) {
      if (type === undefined) this.metrics.remove(id);
      else {
        const subs = this.events.get(type)!;
        subs.delete(id);
        if (subs.size === 0) this.events.delete(type);
      }
    }
    this.idsOf.delete(rule);
  }

  matchPoint(point: DataPoint, visit: (sub: MetricSub) => void): void {
    this.metrics.match(point, visit);
  }

  matchEvent(event: VigilEvent, visit: (sub: EventSub) => void): void {
    const subs = this.events.get(event.type);
    if (!subs) return;
    for (const sub of subs.values()) if (sub.kind === 'sequence' || sub.match.test(event)) visit(sub);
  }
}
