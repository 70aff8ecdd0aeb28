/**
 * fast-check generators for the oracle's property test: rules from a small
 * grammar (point rules, step rules with the temporal clauses, event
 * sequences) over a fixed vocabulary, and point/event streams over a few
 * series and groups, shuffled within the allowed lateness, with some late
 * items, split into batches from one or two sources.
 */
import fc from 'fast-check';
import type { DataPoint, VigilEvent } from '../../src/core/index.js';
import type { OracleBatch } from './model.js';

export const T0 = Date.UTC(2026, 0, 1);
/** The streams span this many seconds of event time. */
export const SPAN_S = 300;

const durationText = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);

// ---- rules -----------------------------------------------------------------

const grouping = fc.constantFrom('by (g)', 'by (g)', 'by (g, h)', 'without (h)', '');
const matcher = fc.constantFrom('', '', '{h="x"}', '{h!="y"}', '{g=~"a|b"}');
const metric = fc.constantFrom('m', 'n');
const aggregation = fc.constantFrom('sum', 'avg', 'min', 'max', 'count', 'last', 'p90', 'rate');
const threshold = fc.integer({ min: 0, max: 12 });
const cmp = fc.constantFrom('>', '>=', '<');

/** One data expression of a step rule, with the grouping `grp`. */
const dataExpr = (grp: string): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.tuple(aggregation, metric, matcher).map(([a, m, sel]) => `${a}(${m}${sel}) ${grp}`.trim()), weight: 4 },
    { arbitrary: fc.constantFrom('x', 'y').map((sig) => `count(event log{sig="${sig}"}) ${grp}`.trim()), weight: 1 },
  );

/** A condition of a step rule over `step`-long steps. */
const stepCondition = (grp: string, stepMs: number): fc.Arbitrary<string> => {
  const d = dataExpr(grp);
  const window = fc.integer({ min: 2, max: 3 }).map((n) => durationText(n * stepMs));
  // Each form with the scale of its values: percentages for ratios, small numbers otherwise.
  const scaled = (x: fc.Arbitrary<string>, scale: number): fc.Arbitrary<[string, number]> => x.map((t) => [t, scale]);
  const number = fc.oneof(
    { arbitrary: scaled(d, 1), weight: 4 },
    { arbitrary: scaled(fc.tuple(d, d).map(([a, b]) => `${a} / ${b} * 100`), 10), weight: 2 },
    { arbitrary: scaled(fc.tuple(fc.constantFrom('avg_over', 'max_over'), d, window).map(([f, x, w]) => `${f}(${x}, ${w})`), 1), weight: 1 },
    { arbitrary: scaled(fc.tuple(d, fc.integer({ min: 1, max: 2 })).map(([x, n]) => `${x} - ${x} offset ${durationText(n * stepMs)}`), 1), weight: 1 },
    { arbitrary: scaled(fc.tuple(d, d).map(([a, b]) => `fill(${a}, 0) / ${b} * 100`), 10), weight: 1 },
  );
  return fc.oneof(
    { arbitrary: fc.tuple(number, cmp, threshold).map(([[x, scale], op, v]) => `${x} ${op} ${v * scale}`), weight: 5 },
    { arbitrary: fc.tuple(d, fc.integer({ min: 1, max: 2 })).map(([x, n]) => `growing(${x}, ${n})`), weight: 1 },
    { arbitrary: fc.tuple(d, threshold, fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 2 })).map(([x, v, w, c]) => `count_over(${x} > ${v}, ${durationText(w * stepMs)}) >= ${c}`), weight: 1 },
    { arbitrary: fc.tuple(d, threshold, fc.constantFrom('and', 'or'), d, threshold).map(([a, v, op, b, u]) => `${a} > ${v} ${op} ${b} < ${u + 3}`), weight: 1 },
    { arbitrary: fc.tuple(d, threshold).map(([a, v]) => `not (${a} > ${v})`), weight: 1 },
  );
};

const stepRule = (name: string): fc.Arbitrary<string> =>
  fc
    .tuple(grouping, fc.constantFrom(60_000, 30_000))
    .chain(([grp, stepMs]) =>
      fc.record({
        when: stepCondition(grp, stepMs),
        hold: fc.oneof(
          fc.constant(''),
          fc.integer({ min: 1, max: 3 }).map((n) => `for ${durationText(n * stepMs)}`),
          fc.integer({ min: 2, max: 4 }).chain((m) => fc.integer({ min: 1, max: m }).map((n) => `for ${n} of ${m} steps`)),
        ),
        keep: fc.oneof(fc.constant(''), fc.constantFrom(30_000, 60_000, 90_000).map((ms) => `keep firing for ${durationText(ms)}`)),
        clear: fc.oneof(
          { arbitrary: fc.constant(''), weight: 3 },
          { arbitrary: fc.tuple(metric, threshold).map(([m, v]) => `clear when max(${m}) ${grp} < ${v}`.replace(/ +/g, ' ')), weight: 1 },
        ),
        noData: fc.oneof(
          { arbitrary: fc.constant(''), weight: 2 },
          { arbitrary: fc.tuple(fc.constantFrom(30_000, 60_000, 90_000, 120_000), fc.constantFrom('', ' fire', ' resolve', ' hold')).map(([ms, a]) => `no data for ${durationText(ms)}${a}`), weight: 1 },
        ),
        flapping: fc.oneof(
          { arbitrary: fc.constant(''), weight: 4 },
          { arbitrary: fc.tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 4 })).map(([n, w]) => `flapping ${n} changes within ${durationText(w * stepMs)}`), weight: 1 },
        ),
        step: fc.constant(`step ${durationText(stepMs)}`),
      }),
    )
    .map((c) => `rule ${name} {\n  ${[c.when && `when ${c.when}`, c.step, c.hold, c.keep, c.clear, c.noData, c.flapping].filter((s) => s !== '').join('\n  ')}\n}`);

const pointRule = (name: string): fc.Arbitrary<string> =>
  fc
    .record({
      metric,
      matcher,
      op: cmp,
      v: threshold,
      by: fc.constantFrom('by (g)', 'by (g, h)', ''),
      hold: fc.oneof(fc.constant(''), fc.constantFrom(10_000, 30_000, 60_000).map((ms) => `for ${durationText(ms)}`)),
    })
    .map((r) => `rule ${name} {\n  ${[`when ${r.metric}${r.matcher} ${r.op} ${r.v}`, r.by, r.hold].filter((s) => s !== '').join('\n  ')}\n}`);

const sequenceRule = (name: string): fc.Arbitrary<string> =>
  fc.constantFrom(30_000, 60_000, 120_000).map((ms) => `rule ${name} {\n  when event job.started without event job.finished within ${durationText(ms)}\n  by (job)\n}`);

export type RuleKind = 'point' | 'step' | 'event';

/** Stands for the rule's name until the file is assembled. */
const NAME = '__rule__';

/** A rule file of one to three rules, named r0, r1, …; `kinds` limits what is generated. Shrinks by dropping rules. */
export function ruleFile(kinds: readonly RuleKind[] = ['point', 'step', 'event']): fc.Arbitrary<string> {
  const one = fc.oneof(
    ...(kinds.includes('point') ? [{ arbitrary: pointRule(NAME), weight: 1 }] : []),
    ...(kinds.includes('step') ? [{ arbitrary: stepRule(NAME), weight: 4 }] : []),
    ...(kinds.includes('event') ? [{ arbitrary: sequenceRule(NAME), weight: 1 }] : []),
  );
  return fc.array(one, { minLength: 1, maxLength: 3 }).map((rules) => rules.map((r, i) => r.replace(NAME, `r${i}`)).join('\n'));
}

// ---- streams ---------------------------------------------------------------

type Raw = { readonly point: DataPoint } | { readonly event: VigilEvent };
const tsOf = (r: Raw): number => ('point' in r ? r.point.ts : r.event.ts);

const second = fc.integer({ min: 0, max: SPAN_S }).map((s) => T0 + s * 1000);

const point: fc.Arbitrary<Raw> = fc
  .record({ name: metric, g: fc.constantFrom('a', 'b'), h: fc.constantFrom('x', 'y'), value: fc.integer({ min: 0, max: 10 }), ts: second })
  .map(({ name, g, h, value, ts }) => ({ point: { name, tags: { g, h }, value, ts } }));

const event: fc.Arbitrary<Raw> = fc.oneof(
  fc.record({ g: fc.constantFrom('a', 'b'), sig: fc.constantFrom('x', 'y'), ts: second }).map(({ g, sig, ts }) => ({ event: { type: 'log', tags: { g, sig }, fields: {}, ts } })),
  fc
    .record({ type: fc.constantFrom('job.started', 'job.finished'), job: fc.constantFrom('j1', 'j2'), asField: fc.boolean(), ts: second })
    .map(({ type, job, asField, ts }): Raw => ({ event: { type, tags: asField ? {} : { job }, fields: asField ? { job } : {}, ts } })),
);

/** No two samples of one series at the same instant: the order of a counter's samples (rate) would be undefined. */
function oneSamplePerInstant(items: readonly Raw[]): Raw[] {
  const seen = new Set<string>();
  return items.filter((r) => {
    if (!('point' in r)) return true;
    const key = `${r.point.name}|${r.point.tags.g}|${r.point.tags.h}|${r.point.ts}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface StreamCase {
  readonly allowedLatenessMs: number;
  readonly batches: readonly OracleBatch[];
  /** Batches after which the engine is closed and opened again (a restart changes nothing: docs/evaluation.md, Durability). */
  readonly restartAfter?: readonly number[];
}

/**
 * Items in event time, then delayed by up to the lateness (some by more, so
 * they arrive late), cut into batches, each from source `a` or `b`; with
 * `flush`, a last tick from every source moves the watermark past the span.
 */
export const stream: fc.Arbitrary<StreamCase> = fc
  .record({
    allowedLatenessMs: fc.constantFrom(0, 0, 20_000, 60_000),
    items: fc.array(fc.oneof({ arbitrary: point, weight: 4 }, { arbitrary: event, weight: 1 }), { minLength: 10, maxLength: 150 }).map(oneSamplePerInstant),
    twoSources: fc.boolean(),
    flush: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
  })
  .chain(({ allowedLatenessMs, items, twoSources, flush }) =>
    fc
      .record({
        delays: fc.array(fc.oneof({ arbitrary: fc.integer({ min: 0, max: allowedLatenessMs / 1000 }), weight: 6 }, { arbitrary: fc.integer({ min: 1, max: 90 }).map((s) => s + allowedLatenessMs / 1000), weight: 1 }), {
          minLength: items.length,
          maxLength: items.length,
        }),
        cuts: fc.array(fc.boolean(), { minLength: items.length, maxLength: items.length }),
        sources: fc.array(twoSources ? fc.constantFrom('a', 'b') : fc.constant('a'), { minLength: items.length + 1, maxLength: items.length + 1 }),
        restarts: fc.array(fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }), { minLength: items.length + 2, maxLength: items.length + 2 }),
      })
      .map(({ delays, cuts, sources, restarts }) => {
        const arrival = items.map((item, i) => ({ item, at: tsOf(item) + delays[i]! * 1000 })).sort((x, y) => x.at - y.at);
        const batches: OracleBatch[] = [];
        let current: Raw[] = [];
        const close = (source: string): void => {
          if (current.length > 0) batches.push({ source, points: current.flatMap((r) => ('point' in r ? [r.point] : [])), events: current.flatMap((r) => ('event' in r ? [r.event] : [])) });
          current = [];
        };
        arrival.forEach(({ item }, i) => {
          current.push(item);
          if (cuts[i]) close(sources[batches.length % sources.length]!);
        });
        close(sources[batches.length % sources.length]!);
        if (flush) {
          const end = T0 + (SPAN_S + 600) * 1000 + allowedLatenessMs;
          for (const source of new Set(batches.map((b) => b.source))) batches.push({ source, points: [{ name: 'tick', tags: {}, value: 0, ts: end }], events: [] });
        }
        const restartAfter = batches.flatMap((_, i) => (restarts[i] ? [i] : []));
        return { allowedLatenessMs, batches, ...(restartAfter.length > 0 ? { restartAfter } : {}) };
      }),
  );

/** A compact, readable form of a case for failure reports. */
export function describeCase(rules: string, c: StreamCase): string {
  const s = (ts: number): string => `${(ts - T0) / 1000}s`;
  const lines = [rules, `allowedLatenessMs: ${c.allowedLatenessMs}`];
  c.batches.forEach((b, i) => {
    const items = [
      ...b.points.map((p) => `${p.name}{${Object.entries(p.tags).map(([k, v]) => `${k}=${v}`).join(',')}} ${p.value} @${s(p.ts)}`),
      ...(b.events ?? []).map((e) => `event ${e.type}{${Object.entries({ ...e.tags, ...e.fields }).map(([k, v]) => `${k}=${String(v)}`).join(',')}} @${s(e.ts)}`),
    ];
    lines.push(`batch ${i} from ${b.source}: ${items.join('; ')}${c.restartAfter?.includes(i) ? ' (restart)' : ''}`);
  });
  return lines.join('\n');
}
