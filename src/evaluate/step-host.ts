/**
 * Hosts one step rule: folds routed samples into per-group step accumulators,
 * closes a group's step when the watermark passes its end (or when all expected
 * sources reported), aligns the inputs of the step, computes history slots and
 * the condition, and sends the alert machine the edges. See docs/evaluation.md.
 */
import type { Tags } from '../core/index.js';
import type { CompiledRule, ExpectIR, InputIR, RuleIR, StepEnv, StepValue } from '../language/index.js';
import type { AlertRecord, StepRecord, StoredStepValue } from '../store/index.js';
import { accumulate, aggregateValue, newAccumulator } from './aggregate.js';
import { AlertDriver } from './alert-driver.js';
import type { BatchEffects } from './batch-effects.js';
import { alertActorId, groupKey, groupOf, labelNames, seriesKey } from './group-key.js';
import type { HostContext, RuleHost } from './host.js';

export class StepHost implements RuleHost {
  readonly stepMs: number;
  /**
   * How many steps after its last data a group is still evaluated: the horizon H of
   * docs/evaluation.md (deepest history, M − 1) plus one, so the step where a window
   * or an N-of-M count has just drained is seen and can resolve the alert.
   */
  private readonly reach: number;
  private readonly ir: RuleIR;
  private readonly driver: AlertDriver;
  private readonly expect: ExpectIR | undefined;
  /** Groups with open steps or within the horizon, by group key. */
  private readonly live = new Map<string, AlertRecord>();
  private sortedKeys: string[] | undefined;
  /** Every step up to this index is closed for every group. */
  private closedByWatermark = Number.NEGATIVE_INFINITY;
  /** Samples that arrived for a step already closed for their group, since start. */
  late = 0;

  constructor(
    readonly rule: CompiledRule,
    private readonly ctx: HostContext,
  ) {
    this.ir = rule.ir;
    this.stepMs = rule.ir.stepMs;
    this.driver = new AlertDriver(rule, ctx);
    this.expect = rule.ir.expect;
    const t = rule.ir.temporal;
    this.reach = Math.max(0, ...rule.ir.slots.map((s) => s.depth), t.nOfM ? t.nOfM.m - 1 : 0) + 1;
  }

  get liveGroups(): number {
    return this.live.size;
  }

  /** The end time of the next step the watermark must close, or undefined when no group is live. */
  nextClose(): number | undefined {
    return this.live.size === 0 ? undefined : (this.closedByWatermark + 2) * this.stepMs;
  }

  /** Reloads live groups from committed records and aligns to the watermark (start, or after a failed commit). */
  reload(records: Iterable<AlertRecord>, watermark: number): void {
    this.live.clear();
    this.sortedKeys = undefined;
    this.closedByWatermark = Math.floor(watermark / this.stepMs) - 1;
    const prefix = alertActorId(this.rule.name, '').length;
    for (const rec of records) if (rec.step && rec.step.rule === this.rule.source && this.isLive(rec.step)) this.live.set(rec.id.slice(prefix), rec);
  }

  /**
   * Folds one sample of input `input` in; returns false when it is late for its
   * group (its step already closed). `read` looks a label up (events: tag, else
   * field); `name` names the series for `rate`. The hot path: no allocation for a
   * group that exists and a step that is open.
   */
  onSample(input: number, value: number, ts: number, tags: Tags, read: ((name: string) => string | undefined) | undefined, name: string, watermark: number, fx: BatchEffects): boolean {
    const inp = this.ir.inputs[input]!;
    const names = labelNames(tags, inp.grouping);
    const key = groupKey(tags, names, read);
    const k = Math.floor(ts / this.stepMs);
    if (this.live.size === 0) this.closedByWatermark = Math.max(this.closedByWatermark, Math.floor(watermark / this.stepMs) - 1);
    let rec = this.live.get(key);
    const wasLive = rec !== undefined;
    if (!rec) rec = this.load(key, () => groupOf(tags, names, read).labels, fx);
    const st = rec.step!;
    if (k <= st.closed) {
      this.late++;
      return false;
    }
    let open = st.open.length === 1 && st.open[0]!.k === k ? st.open[0] : st.open.find((o) => o.k === k);
    if (!open) {
      open = { k, acc: this.ir.inputs.map(() => null) };
      st.open.push(open);
      st.open.sort((a, b) => a.k - b.k);
    }
    const agg = inp.source === 'metric' ? inp.aggregation : 'count';
    accumulate((open.acc[input] ??= newAccumulator()), agg, value, ts, agg === 'rate' ? seriesKey(name, tags) : '');
    if (this.expect) {
      const tuple = this.expect.by.map((l) => (read ? read(l) : tags[l]) ?? '').join('\u0000');
      if (!(open.sources ??= []).includes(tuple)) open.sources.push(tuple);
    }
    if (this.ir.noData) rec = this.driver.sawData(rec, ts, fx);
    fx.actors.set(rec.id, rec);
    if (!wasLive || this.live.get(key) !== rec) this.track(key, rec);
    if (this.expect) this.closeComplete(key, fx);
    return true;
  }

  /** The watermark passed the end of step `k`: close it for every live group, in key order. */
  closeByWatermark(k: number, fx: BatchEffects): void {
    this.closedByWatermark = Math.max(this.closedByWatermark, k);
    this.sortedKeys ??= [...this.live.keys()].sort();
    for (const key of this.sortedKeys) {
      const rec = this.live.get(key);
      if (!rec || rec.step!.closed >= k) continue;
      const closed = this.close(rec, k, fx);
      this.track(key, closed);
      if (!this.live.has(key)) this.settle(closed, fx);
      if (this.expect) this.closeComplete(key, fx);
    }
  }

  onDeadline(actorId: string, at: number, fx: BatchEffects): void {
    const key = actorId.slice(alertActorId(this.rule.name, '').length);
    const rec = this.live.get(key) ?? this.ctx.instances.get(actorId);
    if (!rec) return;
    const next = this.driver.deadline(rec, at, fx);
    if (this.live.has(key)) this.live.set(key, next);
  }

  private load(key: string, labels: () => Tags, fx: BatchEffects): AlertRecord {
    const id = alertActorId(this.rule.name, key);
    const rec = this.ctx.instances.get(id) ?? this.driver.create(id, labels());
    const fresh = !rec.step || rec.step.rule !== this.rule.source;
    // A group back after a while (or a changed rule) starts from an empty history, closed up to the watermark.
    if (fresh) {
      const step: StepRecord = { rule: this.rule.source, closed: this.closedByWatermark, open: [], lastDataStep: null, hist: this.ir.slots.map(() => []), trues: [] };
      return this.driver.save({ ...rec, step }, fx);
    }
    rec.step!.closed = Math.max(rec.step!.closed, this.closedByWatermark);
    return rec;
  }

  private track(key: string, rec: AlertRecord): void {
    if (this.isLive(rec.step!)) {
      if (!this.live.has(key)) this.sortedKeys = undefined;
      this.live.set(key, rec);
    } else if (this.live.delete(key)) this.sortedKeys = undefined;
  }

  /** Step state of a group that left the live set, when nothing in it can matter again (memory: most groups). */
  private settle(rec: AlertRecord, fx: BatchEffects): AlertRecord {
    const st = rec.step!;
    // A step closed early (expect) is ahead of the watermark: its record must remember that, or a straggler would reopen it.
    if (this.isLive(st) || st.closed > this.closedByWatermark || st.trues.length > 0 || st.hist.some((h) => h.some((v) => v !== null))) return rec;
    // Not a rest-destructure: that leaves the object with slow out-of-object properties (~70 B more each).
    return this.driver.save({ ...rec, step: undefined }, fx);
  }

  private isLive(st: StepRecord): boolean {
    return st.open.length > 0 || (st.lastDataStep !== null && st.closed - st.lastDataStep < this.reach);
  }

  /** Closes the group's next steps early while they are complete (`expect N sources`). */
  private closeComplete(key: string, fx: BatchEffects): void {
    for (;;) {
      const rec = this.live.get(key);
      const next = rec?.step!.open[0];
      // Only the oldest open step: rounds complete in order, and empty steps before it hold nothing back.
      if (!rec || !next || (next.sources?.length ?? 0) < this.expect!.sources) return;
      const closed = this.close(rec, next.k, fx);
      this.track(key, closed);
      if (!this.live.has(key)) this.settle(closed, fx);
    }
  }

  /** Closes steps of one group up to `k`, evaluating each step the group is live in. */
  private close(rec: AlertRecord, k: number, fx: BatchEffects): AlertRecord {
    const st = rec.step!;
    let cur = rec;
    while (st.closed < k) {
      const j = st.closed + 1;
      const open = st.open[0]?.k === j ? st.open.shift() : undefined;
      const hasData = open !== undefined && open.acc.some((a) => a !== null && a.n > 0);
      if (hasData) st.lastDataStep = j;
      st.closed = j;
      if (!hasData && (st.lastDataStep === null || j - st.lastDataStep > this.reach)) {
        // Not evaluated: skip straight to the next step with data, recording the skipped steps as no data.
        const target = Math.min(k, (st.open[0]?.k ?? k + 1) - 1);
        this.shift(st, undefined, target - j + 1);
        st.closed = target;
        continue;
      }
      cur = this.evaluate(cur, j, open?.acc, fx);
    }
    return this.driver.save(cur, fx);
  }

  private evaluate(rec: AlertRecord, j: number, acc: StepRecord['open'][number]['acc'] | undefined, fx: BatchEffects): AlertRecord {
    const st = rec.step!;
    const ir = this.ir;
    const inputs = ir.inputs.map((input: InputIR) => aggregateValue(acc?.[input.index], input.source === 'metric' ? input.aggregation : 'count', this.stepMs, input.source === 'metric' ? input.percentile : undefined));
    const current: StepValue[] = [];
    const env: StepEnv = {
      input: (i) => inputs[i],
      slot: (s, ago) => (ago === 0 ? current[s] : fromStored(st.hist[s]![ago - 1])),
    };
    for (const slot of ir.slots) current[slot.index] = slot.evaluate(env);
    if (ir.condition.kind !== 'value') return rec;
    const c = ir.condition.evaluate(env);
    const cc = ir.temporal.clear?.evaluate(env);
    const v = ir.condition.value?.evaluate(env);
    this.shift(st, current);
    let truth: boolean | undefined = typeof c === 'boolean' ? c : undefined;
    const nOfM = ir.temporal.nOfM;
    if (nOfM) {
      if (c === true) st.trues.push(j);
      while (st.trues.length > 0 && st.trues[0]! <= j - nOfM.m) st.trues.shift();
      truth = st.trues.length >= nOfM.n;
    }
    const ts = (j + 1) * this.stepMs;
    const value = typeof v === 'number' ? v : Number.NaN;
    const shown = inputs.map((x) => (x === undefined ? 'no data' : String(x))).join(', ');
    if (rec.snapshot.state === 'firing' && ir.temporal.clear) {
      if (cc === true) return this.driver.edge(rec, false, ts, value, `clear condition held at step ${j} (inputs ${shown})`, fx);
      if (truth === true) return this.driver.edge(rec, true, ts, value, `${this.rule.conditionText} held at step ${j} (inputs ${shown})`, fx);
      return rec;
    }
    if (truth === undefined) return rec;
    const what = nOfM ? `${st.trues.length} of the last ${nOfM.m} steps true` : `${this.rule.conditionText} is ${truth}`;
    return this.driver.edge(rec, truth, ts, value, `${what} at step ${j} (inputs ${shown})`, fx);
  }

  /** Pushes a step's slot values (undefined: a step without evaluation) into the history. */
  private shift(st: StepRecord, current: StepValue[] | undefined, steps = 1): void {
    for (const slot of this.ir.slots) {
      if (slot.depth === 0) continue;
      const h = st.hist[slot.index]!;
      if (current) h.unshift(toStored(current[slot.index]));
      else h.unshift(...new Array<null>(Math.min(steps, slot.depth)).fill(null));
      if (h.length > slot.depth) h.length = slot.depth;
    }
  }
}

const fromStored = (v: StoredStepValue | undefined): StepValue => (v === null ? undefined : v);
const toStored = (v: StepValue): StoredStepValue => (v === undefined ? null : v);
