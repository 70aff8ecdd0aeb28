/** Tag matchers and event matches as closures, built from checked matchers only. */
import type { MatchOp } from './ast.js';
import type { CompiledMatcher, EventLike, EventMatch } from './ir.js';

// Thousands of generated rules share a handful of patterns; compile each once.
const regexCache = new Map<string, RegExp>();

/** The anchored regex of a `=~`/`!~` matcher, or the reason it does not compile. */
export function anchoredRegex(pattern: string): RegExp | Error {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch (cause) {
      return cause as Error;
    }
    regexCache.set(pattern, re);
  }
  return re;
}

/** True for a matcher that every value passes, so it filters nothing. */
export function matchesEverything(op: MatchOp, value: string): boolean {
  if (op !== '=~') return false;
  const bare = value.replace(/^\^/, '').replace(/\$$/, '');
  return bare === '.*' || bare === '(.*)' || bare === '(?:.*)';
}

export function compileMatcher(label: string, op: MatchOp, value: string): CompiledMatcher {
  let test: (v: string | undefined) => boolean;
  switch (op) {
    case '=':
      test = (v) => (v ?? '') === value;
      break;
    case '!=':
      test = (v) => (v ?? '') !== value;
      break;
    case '=~':
    case '!~': {
      const re = anchoredRegex(value);
      // The checker rejects patterns that do not compile; never match rather than throw if one slips through.
      if (re instanceof Error) test = () => false;
      else if (op === '=~') test = (v) => re.test(v ?? '');
      else test = (v) => !re.test(v ?? '');
      break;
    }
  }
  return { label, op, value, test };
}

function attribute(event: EventLike, name: string): string {
  const tag = event.tags[name];
  if (tag !== undefined) return tag;
  const field = event.fields?.[name];
  return field === undefined || field === null ? '' : typeof field === 'object' ? JSON.stringify(field) : String(field);
}

export function compileEventMatch(type: string, matchers: readonly CompiledMatcher[]): EventMatch {
  const test = (event: EventLike): boolean => {
    if (event.type !== type) return false;
    for (const m of matchers) if (!m.test(attribute(event, m.label))) return false;
    return true;
  };
  return { type, matchers, test, attribute };
}
