/**
 * A minimal reference of how a streaming evaluator drives a step-mode RuleIR
 * for one group: compute slots in order, evaluate the condition, keep
 * history, apply `for N of M`. Used to pin the documented semantics in tests.
 */
import type { RuleIR, StepEnv, StepValue } from '../../src/language/index.js';

export interface StepOutcome {
  readonly value: StepValue;
  readonly condition: StepValue;
  /** Whether the temporal qualifier says the alert fires at this step's close. */
  readonly firing: boolean;
}

/** `steps[k][i]` is input i's aggregated value in step k (undefined: no data). */
export function runSteps(ir: RuleIR, steps: readonly (readonly (number | undefined)[])[]): StepOutcome[] {
  if (ir.condition.kind !== 'value') throw new Error('value conditions only');
  const history: StepValue[][] = ir.slots.map(() => []); // newest first
  const outcomes: StepOutcome[] = [];
  const truths: boolean[] = [];
  let run = 0;
  for (const inputs of steps) {
    const current: StepValue[] = [];
    const env: StepEnv = {
      input: (i) => inputs[i],
      slot: (s, ago) => (ago === 0 ? current[s] : history[s]![ago - 1]),
    };
    for (const slot of ir.slots) current[slot.index] = slot.evaluate(env);
    const condition = ir.condition.evaluate(env);
    const value = ir.condition.value?.evaluate(env);
    for (const slot of ir.slots) {
      history[slot.index]!.unshift(current[slot.index]);
      history[slot.index]!.length = Math.min(history[slot.index]!.length, slot.depth);
    }
    truths.unshift(condition === true);
    run = condition === true ? run + 1 : 0;
    let firing = condition === true;
    const { nOfM, for: hold } = ir.temporal;
    if (nOfM) firing = truths.slice(0, nOfM.m).filter(Boolean).length >= nOfM.n;
    else if (hold?.steps) firing = run >= hold.steps;
    outcomes.push({ value, condition, firing });
  }
  return outcomes;
}
