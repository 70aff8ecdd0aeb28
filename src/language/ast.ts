/**
 * The abstract syntax tree: what a rule says, with the source span of every
 * part. It mirrors the text one to one (nothing is resolved or defaulted
 * here), so the formatter can print it back and the checker can point at it.
 */

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

/** `event TYPE{matchers}`: the events of one type whose tags or fields match. */
export interface EventSelector {
  readonly kind: 'event';
  readonly type: string;
  readonly matchers: readonly Matcher[];
  readonly span: Span;
}

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'duration'; readonly ms: number; readonly span: Span }
  | { readonly kind: 'selector'; readonly metric: string; readonly matchers: readonly Matcher[]; readonly span: Span }
  | EventSelector
  | {
      readonly kind: 'call';
      readonly fn: string;
      readonly args: readonly Expr[];
      readonly grouping?: Grouping;
      readonly span: Span;
    }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly operand: Expr; readonly span: Span }
  /** `x offset 1h`: the value x had that long before the current step. */
  | { readonly kind: 'offset'; readonly operand: Expr; readonly ms: number; readonly span: Span }
  /** `event A without event B within 2h`: only ever the whole `when` condition. */
  | { readonly kind: 'sequence'; readonly start: EventSelector; readonly end: EventSelector; readonly withinMs: number; readonly span: Span };

export interface Pair {
  readonly key: string;
  readonly value: string;
  readonly span: Span;
  /** Where the string literal sits, so template errors can point inside it. */
  readonly valueSpan: Span;
}

/** A clause keyword as written, kept for duplicate detection and error positions. */
export interface ClauseRef {
  readonly keyword: string;
  /** The keyword. */
  readonly span: Span;
  /** The whole clause, keyword to last token: tells which clause a comment was written inside. */
  readonly extent: Span;
}

export interface DurationClause {
  readonly ms: number;
  readonly span: Span;
}

/** `for 5m` (held continuously) or `for 4 of 5 steps` (rolling count). */
export type Hold =
  | { readonly kind: 'duration'; readonly ms: number; readonly span: Span }
  | { readonly kind: 'count'; readonly n: number; readonly m: number; readonly span: Span };

export type NoDataAction = 'fire' | 'resolve' | 'hold';
export const noDataActions: readonly NoDataAction[] = ['fire', 'resolve', 'hold'];

export interface NoDataClause {
  readonly ms: number;
  /** As written; the compiler defaults it to `fire`. */
  readonly action?: NoDataAction;
  readonly span: Span;
}

export interface FlappingClause {
  readonly changes: number;
  readonly withinMs: number;
  readonly span: Span;
}

/**
 * `expect 12 sources by (agent)`: a step of a group is complete once points
 * from that many distinct values of the `by` labels arrived for it.
 */
export interface ExpectClause {
  readonly sources: number;
  readonly by: readonly string[];
  readonly span: Span;
}

export interface NameRef {
  readonly name: string;
  readonly span: Span;
}

export interface StringClause {
  readonly value: string;
  readonly span: Span;
  readonly valueSpan: Span;
}

export interface InhibitClause {
  readonly matchers: readonly Matcher[];
  readonly span: Span;
}

export interface RuleDecl {
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
  readonly when?: Expr;
  readonly by?: Grouping;
  readonly step?: DurationClause;
  readonly expect?: ExpectClause;
  readonly hold?: Hold;
  readonly keepFiring?: DurationClause;
  readonly clear?: Expr;
  readonly noData?: NoDataClause;
  readonly flapping?: FlappingClause;
  readonly severity?: NameRef;
  readonly labels: readonly Pair[];
  readonly annotations: readonly Pair[];
  readonly notify: readonly NameRef[];
  readonly signature?: StringClause;
  readonly scope?: NameRef;
  readonly inhibit?: InhibitClause;
  readonly clauses: readonly ClauseRef[];
  /** `#` comments, kept so formatting does not lose them (absent when there are none). */
  readonly comments?: RuleComments;
}

/**
 * Where comments sit: before the rule, before a clause (by clause keyword),
 * between the pairs of the `labels` and `annotations` blocks, or before the
 * rule's `}`. The canonical form prints every other clause on one line, so a
 * comment written inside one of those goes just above it.
 */
export interface RuleComments {
  readonly before?: readonly string[];
  readonly clauses?: Readonly<Record<string, readonly string[]>>;
  /**
   * Inside `labels { … }`: by the index (in `RuleDecl.labels`) of the pair
   * they stand before; `labels.length` means before the block's `}`.
   */
  readonly labels?: Readonly<Record<number, readonly string[]>>;
  /** Inside `annotations { … }`, as for `labels`. */
  readonly annotations?: Readonly<Record<number, readonly string[]>>;
  readonly end?: readonly string[];
}

export interface RuleFile {
  readonly rules: readonly RuleDecl[];
  /** Comments after the last rule. */
  readonly trailingComments?: readonly string[];
}
