/** The pure grammar: builds a concrete syntax tree, no meaning. One instance is reused. */
import { CstParser } from 'chevrotain';
import * as T from './lexer.js';

export class RuleGrammar extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: false, maxLookahead: 3, nodeLocationTracking: 'full' });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.ruleDecl));
  });

  ruleDecl = this.RULE('ruleDecl', () => {
    this.CONSUME(T.Rule);
    this.OR([{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.StringLit) }]);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.clause));
    this.CONSUME(T.RCurly);
  });

  clause = this.RULE('clause', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.whenClause) },
      { ALT: () => this.SUBRULE(this.byClause) },
      { ALT: () => this.SUBRULE(this.forClause) },
      { ALT: () => this.SUBRULE(this.severityClause) },
      { ALT: () => this.SUBRULE(this.labelsClause) },
      { ALT: () => this.SUBRULE(this.annotationsClause) },
    ]);
  });

  whenClause = this.RULE('whenClause', () => {
    this.CONSUME(T.When);
    this.SUBRULE(this.expr);
  });

  byClause = this.RULE('byClause', () => {
    this.CONSUME(T.By);
    this.SUBRULE(this.nameList);
  });

  forClause = this.RULE('forClause', () => {
    this.CONSUME(T.For);
    this.CONSUME(T.Duration);
  });

  severityClause = this.RULE('severityClause', () => {
    this.CONSUME(T.Severity);
    this.OR([{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.StringLit) }]);
  });

  labelsClause = this.RULE('labelsClause', () => {
    this.CONSUME(T.Labels);
    this.SUBRULE(this.pairBlock);
  });

  annotationsClause = this.RULE('annotationsClause', () => {
    this.CONSUME(T.Annotations);
    this.SUBRULE(this.pairBlock);
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
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.cmpExpr) },
    ]);
  });

  cmpExpr = this.RULE('cmpExpr', () => {
    this.SUBRULE(this.addExpr);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Gt) },
        { ALT: () => this.CONSUME(T.Gte) },
        { ALT: () => this.CONSUME(T.Lt) },
        { ALT: () => this.CONSUME(T.Lte) },
        { ALT: () => this.CONSUME(T.Eq2) },
        { ALT: () => this.CONSUME(T.NotEq) },
      ]);
      this.SUBRULE2(this.addExpr);
    });
  });

  addExpr = this.RULE('addExpr', () => {
    this.SUBRULE(this.mulExpr);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      this.SUBRULE2(this.mulExpr);
    });
  });

  mulExpr = this.RULE('mulExpr', () => {
    this.SUBRULE(this.unaryExpr);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }]);
      this.SUBRULE2(this.unaryExpr);
    });
  });

  unaryExpr = this.RULE('unaryExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unaryExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  primary = this.RULE('primary', () => {
    this.OR([
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
    ]);
  });

  call = this.RULE('call', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expr) });
    this.CONSUME(T.RParen);
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(T.By) }, { ALT: () => this.CONSUME(T.Without) }]);
      this.SUBRULE(this.nameList);
    });
  });

  selector = this.RULE('selector', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.LCurly);
      this.MANY(() => {
        this.SUBRULE(this.matcher);
        this.OPTION2(() => this.CONSUME(T.Comma));
      });
      this.CONSUME(T.RCurly);
    });
  });

  matcher = this.RULE('matcher', () => {
    this.CONSUME(T.Name);
    this.OR([
      { ALT: () => this.CONSUME(T.Equals) },
      { ALT: () => this.CONSUME(T.NotEq) },
      { ALT: () => this.CONSUME(T.MatchRe) },
      { ALT: () => this.CONSUME(T.NotMatchRe) },
    ]);
    this.CONSUME(T.StringLit);
  });
}

/** The shared parser instance: chevrotain parsers are expensive to build and cheap to reuse. */
export const grammar = new RuleGrammar();
