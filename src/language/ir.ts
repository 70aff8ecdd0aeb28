/**
 * The intermediate representation of a compiled rule: everything a streaming
 * evaluator needs, resolved, defaulted and validated, with no reference to
 * rule text. A rule splits into
 *
 * - `inputs`: data expressions (selector + per-step aggregation + grouping),
 *   which the query index routes points/events to;
 * - `condition`: either a tree over the aligned step values of the inputs
 *   (`kind: 'value'`) or an event sequence ("A without B within D");
 * - `temporal`: how a condition becomes an alert (`for`, N of M, keep firing,
 *   clear condition, flapping) and `noData` (per-group absence);
 * - `meta`: severity, labels, templated annotations, routing, correlation.
 *
 * Semantics every evaluator must keep (docs/rule-language.md says the same):
 * - Steps are aligned to the epoch: step k covers [k·stepMs, (k+1)·stepMs).
 *   All inputs of a rule share the rule's step, so values line up by step index
 *   and group key before any arithmetic.
 * - A value is `undefined` when its group has no data in the step. Arithmetic
 *   and comparisons with `undefined` give `undefined`; so does division by zero.
 *   `and` is false if either side is false, `or` is true if either side is
 *   true, otherwise unknown stays `undefined`. Only `true` is a breach.
 * - Helper closures (`evaluate`, `test`, `render`) are built from the checked
 *   tree, never from rule text.
 */
import type { Tags } from '../core/index.js';
import type { MatchOp, NoDataAction } from './ast.js';

export const RULE_IR_VERSION = 1;

/** A step value: a number, a truth value, or `undefined` for "no data". */
export type StepValue = number | boolean | undefined;

/** What a condition closure reads for one group at one step. */
export interface StepEnv {
  /** This step's value of `inputs[index]` for the group; `undefined` when it had no data. */
  input(index: number): number | undefined;
  /**
   * The value of history slot `index` computed `ago` steps back (0 = this step).
   * `undefined` when that step had no data or lies before the group was first seen.
   */
  slot(index: number, ago: number): StepValue;
}

export type Evaluate = (env: StepEnv) => StepValue;

export interface CompiledMatcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
  /** Prometheus semantics: a missing tag matches as the empty string. */
  readonly test: (tagValue: string | undefined) => boolean;
}

/** A metric selector: what the query index routes on. */
export interface Selector {
  readonly metric: string;
  readonly matchers: readonly CompiledMatcher[];
}

/** The shape of an event as the language sees it; core's VigilEvent satisfies it. */
export interface EventLike {
  readonly type: string;
  readonly tags: Tags;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/**
 * Events of one type. A matcher's label names a tag, or a field when the event
 * has no tag of that name (field values compare as their string form).
 */
export interface EventMatch {
  readonly type: string;
  readonly matchers: readonly CompiledMatcher[];
  readonly test: (event: EventLike) => boolean;
  /** The attribute (tag, else field) of an event as a string, or "" when absent. */
  readonly attribute: (event: EventLike, name: string) => string;
}

/** How the series of one input fold into groups. `series` keeps every series apart (all tags). */
export type GroupingIR = { readonly mode: 'by'; readonly labels: readonly string[] } | { readonly mode: 'without'; readonly labels: readonly string[] } | { readonly mode: 'series' };

export type Aggregation = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'last' | 'rate' | 'percentile';

/**
 * A data expression: the points (or events) it selects, folded per step and group.
 * `rate` is the per-second increase of a counter across the step (resets count
 * from zero); `last` the value with the newest timestamp; `percentile` uses
 * nearest-rank over the step's values; `count` of events counts matching events.
 */
export type InputIR =
  | {
      readonly index: number;
      readonly source: 'metric';
      readonly selector: Selector;
      readonly aggregation: Aggregation;
      /** 0 < percentile <= 100, only for `percentile`. */
      readonly percentile?: number;
      readonly grouping: GroupingIR;
      /** Canonical text, e.g. `sum(errors) by (cluster)`; equal texts share one input. */
      readonly text: string;
    }
  | {
      readonly index: number;
      readonly source: 'event';
      readonly events: EventMatch;
      readonly aggregation: 'count';
      readonly grouping: GroupingIR;
      readonly text: string;
    };

export type ArithOp = '+' | '-' | '*' | '/';
export type CompareOp = '>' | '>=' | '<' | '<=' | '==' | '!=';
export type WindowFn = 'avg' | 'min' | 'max' | 'sum' | 'count';

/** The condition tree over aligned step values. */
export type ValueNode =
  | { readonly k: 'const'; readonly value: number }
  | { readonly k: 'input'; readonly input: number }
  | { readonly k: 'arith'; readonly op: ArithOp; readonly left: ValueNode; readonly right: ValueNode }
  | { readonly k: 'neg'; readonly operand: ValueNode }
  | { readonly k: 'compare'; readonly op: CompareOp; readonly left: ValueNode; readonly right: ValueNode }
  | { readonly k: 'logic'; readonly op: 'and' | 'or'; readonly left: ValueNode; readonly right: ValueNode }
  | { readonly k: 'not'; readonly operand: ValueNode }
  /** `fill(x, v)`: x, or v when x has no data in a step where the group exists. */
  | { readonly k: 'fill'; readonly operand: ValueNode; readonly value: number }
  /**
   * Over the last `steps` steps of a slot, this one included. avg/min/max/sum
   * skip steps without data (all missing → undefined); count counts the steps
   * where the slot is true (for a condition) or has data (for a number).
   */
  | { readonly k: 'window'; readonly fn: WindowFn; readonly slot: number; readonly steps: number }
  /** The slot's value `steps` steps ago (`x offset 1h`). */
  | { readonly k: 'offset'; readonly slot: number; readonly steps: number }
  /** `growing(x, n)` / `falling(x, n)`: strictly rising (falling) across the last n steps (n + 1 values). */
  | { readonly k: 'trend'; readonly direction: 'up' | 'down'; readonly slot: number; readonly steps: number };

/**
 * A sub-expression whose past values must be kept per group. The evaluator,
 * at each step close and for each group, computes slots in index order (a slot
 * only reads lower-indexed slots), records them, then evaluates the condition.
 */
export interface HistorySlot {
  readonly index: number;
  readonly node: ValueNode;
  /** How many past steps (beyond the current one) must be retained. */
  readonly depth: number;
  readonly evaluate: Evaluate;
}

export type ConditionIR =
  | {
      readonly kind: 'value';
      readonly tree: ValueNode;
      readonly evaluate: Evaluate;
      /** What `{{ $value }}` shows: the left side of the first comparison. */
      readonly value?: { readonly tree: ValueNode; readonly evaluate: Evaluate };
    }
  | {
      /** Fires for a key when `start` is seen and no `end` with the same key follows within `withinMs`. */
      readonly kind: 'sequence';
      readonly start: EventMatch;
      readonly end: EventMatch;
      readonly withinMs: number;
      /** Attributes (tag, else field) that must be equal on start and end; also the group labels. */
      readonly key: readonly string[];
    };

export interface TemporalIR {
  /**
   * Held continuously. In point mode: for `ms` of event time since the first
   * true point. In step mode: `steps` consecutive true steps (ms / stepMs).
   */
  readonly for?: { readonly ms: number; readonly steps?: number };
  /** Fires at the close of a step when at least `n` of the last `m` steps (this one included) were true. */
  readonly nOfM?: { readonly n: number; readonly m: number };
  /** Once firing, stays firing this long after the condition stops holding. */
  readonly keepFiringMs?: number;
  /** Once firing, resolves only when this is true (hysteresis), not when the condition turns false. */
  readonly clear?: { readonly tree: ValueNode; readonly evaluate: Evaluate };
  /** Flapping when the instance changed state `changes` times within `withinMs`; it is then held firing until quiet for `withinMs`. */
  readonly flapping?: { readonly changes: number; readonly withinMs: number };
}

/**
 * Per-group absence. A group that had data and then none for `afterMs` (event
 * time, counted from its last point) — including one that vanished entirely —
 * is treated per `action`: `fire` (alert with a no-data flag), `resolve`, or
 * `hold` (keep the last state).
 */
export interface NoDataIR {
  readonly afterMs: number;
  readonly action: NoDataAction;
}

/** `expect 12 sources by (agent)`; see `RuleIR.expect`. */
export interface ExpectIR {
  /** Distinct sources that complete a step: a whole number, 1 <= sources <= the `maxExpectedSources` limit. */
  readonly sources: number;
  /** The tags whose values name a source; none of them is a group label. */
  readonly by: readonly string[];
}

export interface TemplatePart {
  readonly text?: string;
  /** `{{ $labels.NAME }}` */
  readonly label?: string;
  /** `{{ $value }}` / `{{ $rule }}` */
  readonly variable?: 'value' | 'rule';
}

export interface TemplateContext {
  readonly labels: Tags;
  readonly value?: StepValue;
}

export interface TemplateIR {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  /** Missing labels render as ""; a missing value as "no data". */
  readonly render: (ctx: TemplateContext) => string;
}

export interface MetaIR {
  readonly severity: string;
  /** Static labels added to every alert of the rule. */
  readonly labels: Tags;
  readonly annotations: Readonly<Record<string, TemplateIR>>;
  /** Delivery target names from the configuration, in the order written. */
  readonly notify: readonly string[];
  /** Correlation signature: alerts with equal rendered signatures form one incident across clusters. */
  readonly signature?: TemplateIR;
  /** The group label naming the cluster: upgrades, maintenance and inhibition apply per value of it. */
  readonly scope?: string;
  /** While firing, inhibit the other alerts of the same scope value that match these (all when empty). */
  readonly inhibit?: { readonly matchers: readonly CompiledMatcher[] };
}

export interface RuleIR {
  readonly version: typeof RULE_IR_VERSION;
  readonly name: string;
  /**
   * `point`: each point is evaluated as it arrives (input 0 is the point's value).
   * `step`: inputs fold per step; the condition runs when the watermark closes a step.
   * `event`: a sequence condition driven by events and deadlines.
   */
  readonly mode: 'point' | 'step' | 'event';
  /** 0 in point and event mode. */
  readonly stepMs: number;
  /** The labels that name an alert instance; `series` (point mode without `by`) means every tag. */
  readonly group: GroupingIR;
  readonly inputs: readonly InputIR[];
  readonly slots: readonly HistorySlot[];
  readonly condition: ConditionIR;
  readonly temporal: TemporalIR;
  readonly noData?: NoDataIR;
  /**
   * When a step of a group is complete (step mode only). A step closes when
   * the watermark (the allowed lateness) passes its end or, with `expect`,
   * as soon as points from `sources` distinct values of the `by` labels
   * (read from the points' tags, a missing tag as "") arrived for that step
   * and group, whichever is first. The `by` labels are never group labels:
   * they name the sources within one group. Points that arrive for a step
   * already closed are late, as without `expect`.
   */
  readonly expect?: ExpectIR;
  readonly meta: MetaIR;
}
