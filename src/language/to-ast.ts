/** Walks the concrete syntax tree and builds the AST: the one place where syntax gets meaning. */
import type { CstNode, IToken } from 'chevrotain';
import { ErrorCodes, type Diagnostic } from '../core/index.js';
import type { ClauseRef, Hold, NoDataAction, Pair, RuleDecl, Span } from './ast.js';
import { noDataActions } from './ast.js';
import { node, nodes, nodeSpan, token, tokens, tokenSpan } from './cst.js';
import { decodeString } from './strings.js';
import { durationMs, expr, matchers, names, nameOrString, sequence, softWord, type BuildContext } from './to-ast-expr.js';


type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const clauseKeywords = ['When', 'By', 'Step', 'Expect', 'For', 'Keep', 'Clear', 'No', 'Flapping', 'Severity', 'Labels', 'Annotations', 'Notify', 'Signature', 'Scope', 'Inhibit'];

export class AstBuilder implements BuildContext {
  readonly diagnostics: Diagnostic[] = [];

  error(span: Span, message: string): void {
    this.diagnostics.push({ code: ErrorCodes.RULE_SYNTAX, message, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn });
  }

  string(t: IToken): string {
    return decodeString(t.image, tokenSpan(t), (s, m) => this.error(s, m));
  }

  rule(n: CstNode): RuleDecl {
    const c = n.children;
    const named = nameOrString(this, node(c, 'nameOrString'));
    const rule: Mutable<RuleDecl> = {
      name: named.value,
      nameSpan: tokenSpan(named.token),
      span: nodeSpan(n),
      labels: [],
      annotations: [],
      notify: [],
      clauses: [],
    };
    const clauses: ClauseRef[] = [];
    for (const clause of nodes(c, 'clause')) {
      const [kindKey] = Object.keys(clause.children);
      const inner = node(clause.children, kindKey!);
      const kw = tokens(inner.children, ...clauseKeywords)[0]!;
      clauses.push({ keyword: kw.tokenType.name === 'No' ? 'no data' : kw.tokenType.name === 'Keep' ? 'keep firing' : kw.image, span: tokenSpan(kw), extent: nodeSpan(inner) });
      this.clause(rule, inner);
    }
    rule.clauses = clauses;
    return rule;
  }

  /** Fills one clause into the rule; a repeated clause overwrites, and the checker reports the repeat. */
  private clause(rule: Mutable<RuleDecl>, inner: CstNode): void {
    const ic = inner.children;
    const span = nodeSpan(inner);
    const duration = (): number => durationMs(token(ic, 'Duration')!);
    switch (inner.name) {
      case 'whenClause':
        rule.when = ic.sequence ? sequence(this, node(ic, 'sequence')) : expr(this, node(ic, 'expr'));
        break;
      case 'byClause':
        rule.by = { mode: 'by', labels: names(node(ic, 'nameList')), span };
        break;
      case 'stepClause':
        rule.step = { ms: duration(), span };
        break;
      case 'expectClause': {
        const word = token(ic, 'Name');
        // Either number agrees: `expect 1 source`, `expect 12 sources`; the formatter picks the one that reads right.
        if (word && word.image !== 'sources' && word.image !== 'source') this.error(tokenSpan(word), `expected 'sources' but found '${word.image}'`);
        rule.expect = { sources: Number(token(ic, 'NumberLit')!.image), by: names(node(ic, 'nameList')), span };
        break;
      }
      case 'forClause':
        rule.hold = this.hold(inner);
        break;
      case 'keepClause':
        softWord(this, token(ic, 'Name'), 'firing');
        rule.keepFiring = { ms: duration(), span };
        break;
      case 'clearClause':
        rule.clear = expr(this, node(ic, 'expr'));
        break;
      case 'noDataClause': {
        softWord(this, token(ic, 'Name'), 'data');
        const action = token(ic, 'Identifier');
        if (action && !(noDataActions as readonly string[]).includes(action.image)) {
          this.error(tokenSpan(action), `expected fire, resolve or hold after 'no data for', but found '${action.image}'`);
        }
        rule.noData = { ms: duration(), ...(action ? { action: action.image as NoDataAction } : {}), span };
        break;
      }
      case 'flappingClause': {
        const [changes, within] = tokens(ic, 'Name');
        softWord(this, changes, 'changes');
        softWord(this, within, 'within');
        rule.flapping = { changes: Number(token(ic, 'NumberLit')!.image), withinMs: duration(), span };
        break;
      }
      case 'severityClause': {
        const s = nameOrString(this, node(ic, 'nameOrString'));
        rule.severity = { name: s.value, span: tokenSpan(s.token) };
        break;
      }
      case 'labelsClause':
        rule.labels = [...rule.labels, ...this.pairs(node(ic, 'pairBlock'))];
        break;
      case 'annotationsClause':
        rule.annotations = [...rule.annotations, ...this.pairs(node(ic, 'pairBlock'))];
        break;
      case 'notifyClause':
        rule.notify = [
          ...rule.notify,
          ...nodes(ic, 'nameOrString').map((t) => {
            const s = nameOrString(this, t);
            return { name: s.value, span: tokenSpan(s.token) };
          }),
        ];
        break;
      case 'signatureClause': {
        const t = token(ic, 'StringLit')!;
        rule.signature = { value: this.string(t), span, valueSpan: tokenSpan(t) };
        break;
      }
      case 'scopeClause': {
        const t = tokens(ic, 'Name').find((x) => x.tokenType.name !== 'Scope')!;
        rule.scope = { name: t.image, span: tokenSpan(t) };
        break;
      }
      case 'inhibitClause':
        rule.inhibit = { matchers: matchers(this, ic.matcherBlock ? node(ic, 'matcherBlock') : undefined), span };
        break;
    }
  }

  private hold(inner: CstNode): Hold {
    const ic = inner.children;
    const span = nodeSpan(inner);
    const d = token(ic, 'Duration');
    if (d) return { kind: 'duration', ms: durationMs(d), span };
    const [of, steps] = tokens(ic, 'Name');
    softWord(this, of, 'of');
    softWord(this, steps, 'steps');
    const [n, m] = tokens(ic, 'NumberLit').map((t) => Number(t.image));
    return { kind: 'count', n: n!, m: m!, span };
  }

  private pairs(n: CstNode): Pair[] {
    return nodes(n.children, 'pair').map((p) => {
      const v = token(p.children, 'StringLit')!;
      return { key: token(p.children, 'Name')!.image, value: this.string(v), span: nodeSpan(p), valueSpan: tokenSpan(v) };
    });
  }
}
