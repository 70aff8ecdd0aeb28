/** RuleService: rule text in, stored and compiled rules out. */
import type * as grpc from '@grpc/grpc-js';
import { ArgumentError, RuleError } from '../core/index.js';
import type { Engine } from '../engine.js';
import { compileSource, parse } from '../language/index.js';
import { backtestHandler, type BacktestRequestMsg } from './backtest.js';
import { unary, type Logger } from './handlers.js';
import type { ApplyRulesRequestMsg, ListRulesRequestMsg, UpdateRuleRequestMsg } from './messages.js';
import { listRules, RuleMetaCache } from './rule-listing.js';

const maxSourceBytes = 1024 * 1024;

function requireSource(source: string): string {
  if (source.trim() === '') throw new ArgumentError('source', 'is empty; send the text of one or more rules');
  if (Buffer.byteLength(source) > maxSourceBytes) throw new ArgumentError('source', `is larger than ${maxSourceBytes} bytes`);
  return source;
}

function expectedVersions(byName: Record<string, number> | undefined): ReadonlyMap<string, number> | undefined {
  const entries = Object.entries(byName ?? {});
  if (entries.some(([name]) => name === '')) throw new ArgumentError('expected_versions', 'rule names must not be empty');
  return entries.length > 0 ? new Map(entries) : undefined;
}

/** The name of the one rule in `source` (UpdateRule replaces exactly one rule). */
function singleRuleName(source: string, requested: string): string {
  const parsed = parse(source);
  if (!parsed.value) throw new RuleError(parsed.diagnostics);
  const names = parsed.value.rules.map((r) => r.name);
  if (names.length !== 1) throw new ArgumentError('source', `must hold exactly one rule, found ${names.length}; use ApplyRules for several`);
  const name = names[0]!;
  if (requested && requested !== name) throw new ArgumentError('name', `is "${requested}" but the source defines rule "${name}"`);
  return name;
}

export function ruleService(engine: Engine, log: Logger): grpc.UntypedServiceImplementation {
  const meta = new RuleMetaCache();
  const backtest = backtestHandler();
  return {
    validateRules: unary(log, 'ValidateRules', (req: { source: string }) => {
      const result = compileSource(requireSource(req.source));
      return { valid: result.diagnostics.length === 0, diagnostics: result.diagnostics, rules: result.decls.map((d) => d.name) };
    }),
    createRule: unary(log, 'CreateRule', async (req: { source: string }) => ({ rules: await engine.applyRules(requireSource(req.source), { createOnly: true }) })),
    applyRules: unary(log, 'ApplyRules', async (req: ApplyRulesRequestMsg) => {
      const expected = expectedVersions(req.expectedVersions);
      return { rules: await engine.applyRules(requireSource(req.source), expected ? { expectedVersions: expected } : {}) };
    }),
    updateRule: unary(log, 'UpdateRule', async (req: UpdateRuleRequestMsg) => {
      const source = requireSource(req.source);
      const name = singleRuleName(source, req.name);
      // NOT_FOUND for a missing rule; without an expected version, the version read here guards the write.
      const current = engine.getRule(name);
      const expected = req.expectedVersion || current.version;
      return { rules: await engine.applyRules(source, { expectedVersions: new Map([[name, expected]]) }) };
    }),
    getRule: unary(log, 'GetRule', (req: { name: string }) => meta.toMsg(engine.getRule(req.name))),
    listRules: unary(log, 'ListRules', (req: ListRulesRequestMsg) => listRules(engine, meta, req)),
    deleteRule: unary(log, 'DeleteRule', async (req: { name: string }) => {
      await engine.deleteRule(req.name);
      meta.forget(req.name);
      return {};
    }),
    backtest: unary(log, 'Backtest', (req: BacktestRequestMsg) => backtest({ ...req, source: requireSource(req.source) })),
  };
}
