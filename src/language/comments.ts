/** Puts `#` comments back on the rules they belong to, so `vigil rules fmt -w` never deletes them. */
import type { IToken } from 'chevrotain';
import type { ClauseRef, RuleComments, RuleDecl, RuleFile } from './ast.js';

type PairComments = Record<number, string[]>;
type MutableComments = { before?: string[]; clauses?: Record<string, string[]>; labels?: PairComments; annotations?: PairComments; end?: string[] };

/** True when code precedes the comment on its line: it annotates that line, not the next. */
function trailsCode(text: string, offset: number): boolean {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  return text.slice(lineStart, offset).trim() !== '';
}

/**
 * Where a comment inside a `labels`/`annotations` block stays: before the pair
 * that follows it, or, when it trails a pair's line, before that pair. The
 * index counts the pairs of every block of that kind, as the formatter merges
 * them. Undefined when it trails the block's opening line: it then annotates the clause.
 */
function pairIndex(rule: RuleDecl, clause: ClauseRef, block: 'labels' | 'annotations', offset: number, trailing: boolean): number | undefined {
  const pairs = rule[block];
  let before = 0;
  while (before < pairs.length && pairs[before]!.span.start < offset) before++;
  if (!trailing) return before;
  const owner = pairs[before - 1];
  return owner && owner.span.start > clause.extent.start ? before - 1 : undefined;
}

function place(into: MutableComments, rule: RuleDecl, offset: number, trailing: boolean, line: string): void {
  const inside = rule.clauses.find((cl) => cl.extent.start < offset && offset < cl.extent.end);
  if (inside && (inside.keyword === 'labels' || inside.keyword === 'annotations')) {
    const at = pairIndex(rule, inside, inside.keyword, offset, trailing);
    if (at !== undefined) {
      ((into[inside.keyword] ??= {})[at] ??= []).push(line);
      return;
    }
  }
  const after = rule.clauses.findIndex((cl) => cl.span.start > offset);
  // Inside a clause printed on one line, or trailing a clause's line: just above that clause; else above the next one.
  const owner = inside ?? (trailing ? rule.clauses[(after < 0 ? rule.clauses.length : after) - 1] : rule.clauses[after]);
  if (owner) ((into.clauses ??= {})[owner.keyword] ??= []).push(line);
  else if (after < 0) (into.end ??= []).push(line);
  else (into.before ??= []).push(line);
}

export function attachComments(source: string, rules: readonly RuleDecl[], comments: readonly IToken[]): RuleFile {
  const perRule = rules.map((): MutableComments => ({}));
  const trailing: string[] = [];
  let r = 0;
  for (const c of comments) {
    const line = c.image.replace(/\s+$/, '');
    while (r < rules.length && rules[r]!.span.end <= c.startOffset) r++;
    const rule = rules[r];
    if (!rule) trailing.push(line);
    else if (c.startOffset < rule.span.start) (perRule[r]!.before ??= []).push(line);
    else place(perRule[r]!, rule, c.startOffset, trailsCode(source, c.startOffset), line);
  }
  return {
    rules: rules.map((rule, i) => (Object.keys(perRule[i]!).length > 0 ? { ...rule, comments: perRule[i] as RuleComments } : rule)),
    ...(trailing.length > 0 ? { trailingComments: trailing } : {}),
  };
}
