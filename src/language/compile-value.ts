/**
 * Condition trees → closures over a StepEnv. Built from the checked IR tree,
 * never from text. Follows the three-valued rules documented in ir.ts:
 * `undefined` is "no data" and poisons arithmetic and comparisons.
 */
import type { Evaluate, StepEnv, StepValue, ValueNode, WindowFn } from './ir.js';

const num = (v: StepValue): number | undefined => (typeof v === 'number' ? v : undefined);

export function compileValue(n: ValueNode): Evaluate {
  switch (n.k) {
    case 'const': {
      const v = n.value;
      return () => v;
    }
    case 'input': {
      const i = n.input;
      return (env) => env.input(i);
    }
    case 'neg': {
      const f = compileValue(n.operand);
      return (env) => {
        const v = num(f(env));
        return v === undefined ? undefined : -v;
      };
    }
    case 'arith':
      return arith(n.op, compileValue(n.left), compileValue(n.right));
    case 'compare':
      return compare(n.op, compileValue(n.left), compileValue(n.right));
    case 'logic': {
      const l = compileValue(n.left);
      const r = compileValue(n.right);
      if (n.op === 'and') {
        return (env) => {
          const a = l(env);
          if (a === false) return false;
          const b = r(env);
          if (b === false) return false;
          return a === true && b === true ? true : undefined;
        };
      }
      return (env) => {
        const a = l(env);
        if (a === true) return true;
        const b = r(env);
        if (b === true) return true;
        return a === false && b === false ? false : undefined;
      };
    }
    case 'not': {
      const f = compileValue(n.operand);
      return (env) => {
        const v = f(env);
        return typeof v === 'boolean' ? !v : undefined;
      };
    }
    case 'fill': {
      const f = compileValue(n.operand);
      const dflt = n.value;
      return (env) => f(env) ?? dflt;
    }
    case 'offset': {
      const { slot, steps } = n;
      return (env) => env.slot(slot, steps);
    }
    case 'window':
      return windowFn(n.fn, n.slot, n.steps);
    case 'trend': {
      const { slot, steps } = n;
      const up = n.direction === 'up';
      // All n + 1 values must exist, or the answer is no data; only then does one that does not rise make it false.
      return (env) => {
        let rising = true;
        let newer = num(env.slot(slot, 0));
        if (newer === undefined) return undefined;
        for (let ago = 1; ago <= steps; ago++) {
          const older = num(env.slot(slot, ago));
          if (older === undefined) return undefined;
          if (up ? !(newer > older) : !(newer < older)) rising = false;
          newer = older;
        }
        return rising;
      };
    }
  }
}

function arith(op: '+' | '-' | '*' | '/', l: Evaluate, r: Evaluate): Evaluate {
  const f = (a: number, b: number): number | undefined => {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        // No data rather than Infinity: a step with zero requests is not a 100% error rate.
        return b === 0 ? undefined : a / b;
    }
  };
  return (env) => {
    const a = num(l(env));
    if (a === undefined) return undefined;
    const b = num(r(env));
    return b === undefined ? undefined : f(a, b);
  };
}

function compare(op: string, l: Evaluate, r: Evaluate): Evaluate {
  const test: (a: number, b: number) => boolean =
    op === '>' ? (a, b) => a > b : op === '>=' ? (a, b) => a >= b : op === '<' ? (a, b) => a < b : op === '<=' ? (a, b) => a <= b : op === '==' ? (a, b) => a === b : (a, b) => a !== b;
  return (env) => {
    const a = num(l(env));
    if (a === undefined) return undefined;
    const b = num(r(env));
    return b === undefined ? undefined : test(a, b);
  };
}

function windowFn(fn: WindowFn, slot: number, steps: number): Evaluate {
  return (env: StepEnv) => {
    let count = 0;
    let acc: number | undefined;
    for (let ago = 0; ago < steps; ago++) {
      const v = env.slot(slot, ago);
      if (fn === 'count') {
        if (v === true || typeof v === 'number') count++;
        continue;
      }
      if (typeof v !== 'number') continue;
      count++;
      acc = acc === undefined ? v : fn === 'min' ? Math.min(acc, v) : fn === 'max' ? Math.max(acc, v) : acc + v;
    }
    if (fn === 'count') return count;
    if (acc === undefined) return undefined;
    return fn === 'avg' ? acc / count : acc;
  };
}
