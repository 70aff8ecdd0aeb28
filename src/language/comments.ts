/** Puts `#` comments back on the rules they belong to, so `vigil rules fmt -w` never deletes them. */
import type { IToken } from 'chevrotain';
import type { RuleComments, RuleDecl, RuleFile } from './ast.js';

type MutableComments = { before?: string[]; clauses?: Record<string, string[]>; end?: string[] };

/** True when code precedes the comment on its line: it annotates that line, not the next. */
function trailsCode(text: string, offset: number): boolean {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  return text.slice(lineStart, offset).trim() !== '';
}

export function attachComments(source: string, rules: readonly RuleDecl[], comments: readonly IToken[]): RuleFile {
  const perRule = rules.map((): MutableComments => ({}));
  const trailing: string[] = [];
  let r = 0;
  for (const c of comments) {
    const line = c.image.replace(/\s+$/, '');
    while (r < rules.length && rules[r]!.span.end <= c.startOffset) r++;
    const rule = rules[r];
    if (!rule) {
      trailing.push(line);
      continue;
    }
    const into = perRule[r]!;
    if (c.startOffset < rule.span.start) (into.before ??= []).push(line);
    else {
      const after = rule.clauses.findIndex((cl) => cl.span.start > c.startOffset);
      const owner = trailsCode(source, c.startOffset) ? rule.clauses[(after < 0 ? rule.clauses.length : after) - 1] : rule.clauses[after];
      if (owner) ((into.clauses ??= {})[owner.keyword] ??= []).push(line);
      else if (after < 0) (into.end ??= []).push(line);
      else (into.before ??= []).push(line);
    }
  }
  return {
    rules: rules.map((rule, i) => (Object.keys(perRule[i]!).length > 0 ? { ...rule, comments: perRule[i] as RuleComments } : rule)),
    ...(trailing.length > 0 ? { trailingComments: trailing } : {}),
  };
}
