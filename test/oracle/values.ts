/**
 * Step values from scratch: folding a step's items into one number, and the
 * condition tree read with the three-valued rules of rule-language.md
 * (`undefined` is no data). Written from the docs, not from the compiler's
 * closures, so a slip there shows up too.
 */
import type { InputIR, StepEnv, StepValue, ValueNode } from '../../src/language/index.js';
import { seriesOf } from './match.js';
import type { Item } from './model.js';

const valueOf = (item: Item): number => (item.kind === 'point' ? item.point.value : 1);

/** One input's value for one step and group, from all the items it matched there; `undefined` when none. */
export function aggregate(input: InputIR, items: readonly Item[], stepMs: number): number | undefined {
  if (items.length === 0) return undefined;
  const values = items.map(valueOf);
  switch (input.aggregation) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'count':
      return items.length;
    case 'last': {
      // Newest ts; on equal ts the larger value.
      const newest = Math.max(...items.map((i) => i.ts));
      return Math.max(...items.filter((i) => i.ts === newest).map(valueOf));
    }
    case 'percentile': {
      const sorted = [...values].sort((a, b) => a - b);
      const p = input.source === 'metric' ? (input.percentile ?? 100) : 100;
      // Nearest rank: the value at rank ceil(p/100 · n), 1-based.
      return sorted[Math.max(Math.ceil((p / 100) * sorted.length), 1) - 1];
    }
    case 'rate':
      return rate(items, stepMs);
  }
}

/**
 * Increase per series across its samples in ts order (a drop restarts from zero), summed, per second of the step.
 * A series with one sample adds nothing, but the group still had points, so the value is 0, not no data.
 */
function rate(items: readonly Item[], stepMs: number): number {
  const bySeries = new Map<string, Item[]>();
  for (const item of items) bySeries.set(seriesOf(item), [...(bySeries.get(seriesOf(item)) ?? []), item]);
  let increase = 0;
  for (const samples of bySeries.values()) {
    const values = [...samples].sort((a, b) => a.ts - b.ts).map(valueOf);
    for (let i = 1; i < values.length; i++) increase += values[i]! >= values[i - 1]! ? values[i]! - values[i - 1]! : values[i]!;
  }
  return increase / (stepMs / 1000);
}

const num = (v: StepValue): number | undefined => (typeof v === 'number' ? v : undefined);

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    default:
      return a !== b;
  }
}

/** Reads a condition tree for one group at one step. */
export function interpret(node: ValueNode, env: StepEnv): StepValue {
  switch (node.k) {
    case 'const':
      return node.value;
    case 'input':
      return env.input(node.input);
    case 'neg': {
      const v = num(interpret(node.operand, env));
      return v === undefined ? undefined : -v;
    }
    case 'arith': {
      const a = num(interpret(node.left, env));
      const b = num(interpret(node.right, env));
      if (a === undefined || b === undefined) return undefined;
      if (node.op === '/') return b === 0 ? undefined : a / b;
      return node.op === '+' ? a + b : node.op === '-' ? a - b : a * b;
    }
    case 'compare': {
      const a = num(interpret(node.left, env));
      const b = num(interpret(node.right, env));
      return a === undefined || b === undefined ? undefined : compare(node.op, a, b);
    }
    case 'logic': {
      const a = interpret(node.left, env);
      const b = interpret(node.right, env);
      if (node.op === 'and') {
        if (a === false || b === false) return false;
        return a === true && b === true ? true : undefined;
      }
      if (a === true || b === true) return true;
      return a === false && b === false ? false : undefined;
    }
    case 'not': {
      const v = interpret(node.operand, env);
      return typeof v === 'boolean' ? !v : undefined;
    }
    case 'fill':
      return interpret(node.operand, env) ?? node.value;
    case 'offset':
      return env.slot(node.slot, node.steps);
    case 'window':
      return windowOf(node.fn, Array.from({ length: node.steps }, (_, ago) => env.slot(node.slot, ago)));
    case 'trend': {
      // "Rose at each of the last n steps (needs n + 1 values)": with any of them missing, no data.
      const values = Array.from({ length: node.steps + 1 }, (_, ago) => num(env.slot(node.slot, ago)));
      if (values.some((v) => v === undefined)) return undefined;
      return values.slice(1).every((older, i) => (node.direction === 'up' ? values[i]! > older! : values[i]! < older!));
    }
  }
}

function windowOf(fn: string, values: readonly StepValue[]): StepValue {
  if (fn === 'count') return values.filter((v) => v === true || typeof v === 'number').length;
  const nums = values.filter((v): v is number => typeof v === 'number');
  if (nums.length === 0) return undefined;
  if (fn === 'min') return Math.min(...nums);
  if (fn === 'max') return Math.max(...nums);
  const sum = nums.reduce((a, b) => a + b, 0);
  return fn === 'avg' ? sum / nums.length : sum;
}
