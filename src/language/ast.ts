/** The abstract syntax tree: what a rule means, with the source span of every part. */

export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** Character offsets into the source text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
  readonly span: Span;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '>' | '>=' | '<' | '<=' | '==' | '!=' | 'and' | 'or';

export const comparisonOps: ReadonlySet<BinaryOp> = new Set(['>', '>=', '<', '<=', '==', '!=']);

export interface Grouping {
  readonly mode: 'by' | 'without';
  readonly labels: readonly string[];
  readonly span: Span;
}

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'duration'; readonly ms: number; readonly span: Span }
  | { readonly kind: 'selector'; readonly metric: string; readonly matchers: readonly Matcher[]; readonly span: Span }
  | {
      readonly kind: 'call';
      readonly fn: string;
      readonly args: readonly Expr[];
      readonly grouping?: Grouping;
      readonly span: Span;
    }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly operand: Expr; readonly span: Span };

export interface Pair {
  readonly key: string;
  readonly value: string;
  readonly span: Span;
}

/** A clause keyword as written, kept for duplicate detection and error positions. */
export interface ClauseRef {
  readonly keyword: string;
  readonly span: Span;
}

export interface RuleDecl {
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
  readonly when?: Expr;
  readonly by?: Grouping;
  readonly forMs?: number;
  readonly forSpan?: Span;
  readonly severity?: string;
  readonly labels: readonly Pair[];
  readonly annotations: readonly Pair[];
  readonly clauses: readonly ClauseRef[];
}

export interface RuleFile {
  readonly rules: readonly RuleDecl[];
}
