/**
 * The pure grammar: builds a concrete syntax tree, no meaning. One instance is
 * reused (chevrotain parsers are expensive to build and cheap to reuse).
 * Expression precedence, loosest first: or, and, not, comparison, + -, * /,
 * unary minus, `offset`.
 */
import { CstParser, type IOrAlt } from 'chevrotain';
import * as T from './lexer.js';

export class RuleGrammar extends CstParser {
  /**
   * Alternatives of the hot ORs, built once: a fresh array of closures per
   * call is most of chevrotain's parse time for short rules.
   */
  private readonly alts: Record<string, IOrAlt<unknown>[]> = {};

  private cached(key: string, make: () => IOrAlt<unknown>[]): IOrAlt<unknown>[] {
    return (this.alts[key] ??= make());
  }

  constructor() {
    super(T.allTokens, { recoveryEnabled: false, maxLookahead: 3, nodeLocationTracking: 'full' });
    this.performSelfAnalysis();
  }

  ruleDecl = this.RULE('ruleDecl', () => {
    this.CONSUME(T.Rule);
    this.SUBRULE(this.nameOrString);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.clause));
    this.CONSUME(T.RCurly);
  });

  nameOrString = this.RULE('nameOrString', () => {
    this.OR(this.cached('nameOrString', () => [{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.StringLit) }]));
  });

  clause = this.RULE('clause', () => {
    this.OR(this.cached('clause', () => [
      { ALT: () => this.SUBRULE(this.whenClause) },
      { ALT: () => this.SUBRULE(this.byClause) },
      { ALT: () => this.SUBRULE(this.stepClause) },
      { ALT: () => this.SUBRULE(this.expectClause) },
      { ALT: () => this.SUBRULE(this.forClause) },
      { ALT: () => this.SUBRULE(this.keepClause) },
      { ALT: () => this.SUBRULE(this.clearClause) },
      { ALT: () => this.SUBRULE(this.noDataClause) },
      { ALT: () => this.SUBRULE(this.flappingClause) },
      { ALT: () => this.SUBRULE(this.severityClause) },
      { ALT: () => this.SUBRULE(this.labelsClause) },
      { ALT: () => this.SUBRULE(this.annotationsClause) },
      { ALT: () => this.SUBRULE(this.notifyClause) },
      { ALT: () => this.SUBRULE(this.signatureClause) },
      { ALT: () => this.SUBRULE(this.scopeClause) },
      { ALT: () => this.SUBRULE(this.inhibitClause) },
    ]));
  });

  whenClause = this.RULE('whenClause', () => {
    this.CONSUME(T.When);
    this.OR(this.cached('whenClause', () => [{ ALT: () => this.SUBRULE(this.sequence) }, { ALT: () => this.SUBRULE(this.expr) }]));
  });

  /** `event A without event B within 2h`; the key comes from the rule's `by`. */
  sequence = this.RULE('sequence', () => {
    this.SUBRULE(this.eventSelector);
    this.CONSUME(T.Without);
    this.SUBRULE2(this.eventSelector);
    this.CONSUME(T.Name); // within
    this.CONSUME(T.Duration);
  });

  byClause = this.RULE('byClause', () => {
    this.CONSUME(T.By);
    this.SUBRULE(this.nameList);
  });

  stepClause = this.RULE('stepClause', () => {
    this.CONSUME(T.Step);
    this.CONSUME(T.Duration);
  });

  /** `expect 12 sources by (agent)`: when a step of a group is complete before the watermark closes it. */
  expectClause = this.RULE('expectClause', () => {
    this.CONSUME(T.Expect);
    this.CONSUME(T.NumberLit);
    this.CONSUME(T.Name); // source | sources
    this.CONSUME(T.By);
    this.SUBRULE(this.nameList);
  });

  forClause = this.RULE('forClause', () => {
    this.CONSUME(T.For);
    this.OR(this.cached('forClause', () => [
      { ALT: () => this.CONSUME(T.Duration) },
      {
        ALT: () => {
          this.CONSUME(T.NumberLit);
          this.CONSUME(T.Name); // of
          this.CONSUME2(T.NumberLit);
          this.CONSUME2(T.Name); // steps
        },
      },
    ]));
  });

  keepClause = this.RULE('keepClause', () => {
    this.CONSUME(T.Keep);
    this.CONSUME(T.Name); // firing
    this.CONSUME(T.For);
    this.CONSUME(T.Duration);
  });

  clearClause = this.RULE('clearClause', () => {
    this.CONSUME(T.Clear);
    this.CONSUME(T.When);
    this.SUBRULE(this.expr);
  });

  noDataClause = this.RULE('noDataClause', () => {
    this.CONSUME(T.No);
    this.CONSUME(T.Name); // data
    this.CONSUME(T.For);
    this.CONSUME(T.Duration);
    // Only an Identifier (never a keyword) so the next clause is not swallowed.
    this.OPTION(() => this.CONSUME(T.Identifier)); // fire | resolve | hold
  });

  flappingClause = this.RULE('flappingClause', () => {
    this.CONSUME(T.Flapping);
    this.CONSUME(T.NumberLit);
    this.CONSUME(T.Name); // changes
    this.CONSUME2(T.Name); // within
    this.CONSUME(T.Duration);
  });

  severityClause = this.RULE('severityClause', () => {
    this.CONSUME(T.Severity);
    this.SUBRULE(this.nameOrString);
  });

  labelsClause = this.RULE('labelsClause', () => {
    this.CONSUME(T.Labels);
    this.SUBRULE(this.pairBlock);
  });

  annotationsClause = this.RULE('annotationsClause', () => {
    this.CONSUME(T.Annotations);
    this.SUBRULE(this.pairBlock);
  });

  notifyClause = this.RULE('notifyClause', () => {
    this.CONSUME(T.Notify);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.nameOrString) });
  });

  signatureClause = this.RULE('signatureClause', () => {
    this.CONSUME(T.Signature);
    this.CONSUME(T.StringLit);
  });

  scopeClause = this.RULE('scopeClause', () => {
    this.CONSUME(T.Scope);
    this.CONSUME(T.Name);
  });

  inhibitClause = this.RULE('inhibitClause', () => {
    this.CONSUME(T.Inhibit);
    this.OPTION(() => this.SUBRULE(this.matcherBlock));
  });

  pairBlock = this.RULE('pairBlock', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.pair);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  pair = this.RULE('pair', () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Equals);
    this.CONSUME(T.StringLit);
  });

  nameList = this.RULE('nameList', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Name) });
    this.CONSUME(T.RParen);
  });

  expr = this.RULE('expr', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.andExpr);
    });
  });

  andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.notExpr);
    });
  });

  notExpr = this.RULE('notExpr', () => {
    this.OR(this.cached('notExpr', () => [
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.cmpExpr) },
    ]));
  });

  cmpExpr = this.RULE('cmpExpr', () => {
    this.SUBRULE(this.addExpr);
    this.OPTION(() => {
      this.CONSUME(T.Comparison);
      this.SUBRULE2(this.addExpr);
    });
  });

  addExpr = this.RULE('addExpr', () => {
    this.SUBRULE(this.mulExpr);
    this.MANY(() => {
      this.CONSUME(T.AddOp);
      this.SUBRULE2(this.mulExpr);
    });
  });

  mulExpr = this.RULE('mulExpr', () => {
    this.SUBRULE(this.unaryExpr);
    this.MANY(() => {
      this.CONSUME(T.MulOp);
      this.SUBRULE2(this.unaryExpr);
    });
  });

  unaryExpr = this.RULE('unaryExpr', () => {
    this.OR(this.cached('unaryExpr', () => [
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unaryExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.postfixExpr) },
    ]));
  });

  postfixExpr = this.RULE('postfixExpr', () => {
    this.SUBRULE(this.primary);
    this.OPTION(() => {
      this.CONSUME(T.Offset);
      this.CONSUME(T.Duration);
    });
  });

  primary = this.RULE('primary', () => {
    this.OR(this.cached('primary', () => [
      { ALT: () => this.CONSUME(T.NumberLit) },
      { ALT: () => this.CONSUME(T.Duration) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expr);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.SUBRULE(this.selector) },
    ]));
  });

  call = this.RULE('call', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.argument) });
    this.CONSUME(T.RParen);
    this.OPTION(() => {
      this.CONSUME(T.GroupMode);
      this.SUBRULE(this.nameList);
    });
  });

  argument = this.RULE('argument', () => {
    this.OR(this.cached('argument', () => [{ ALT: () => this.SUBRULE(this.eventSelector) }, { ALT: () => this.SUBRULE(this.expr) }]));
  });

  eventSelector = this.RULE('eventSelector', () => {
    this.CONSUME(T.Event);
    this.SUBRULE(this.nameOrString);
    this.OPTION(() => this.SUBRULE(this.matcherBlock));
  });

  selector = this.RULE('selector', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.matcherBlock));
  });

  matcherBlock = this.RULE('matcherBlock', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.matcher);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  matcher = this.RULE('matcher', () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.MatcherOp);
    this.CONSUME(T.StringLit);
  });
}

/** The shared parser instance. */
export const grammar = new RuleGrammar();
