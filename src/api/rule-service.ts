/** RuleService: rule text in, stored and compiled rules out. */
import type * as grpc from '@grpc/grpc-js';
import { ArgumentError } from '../core/index.js';
import type { Engine } from '../engine.js';
import { compileSource } from '../language/index.js';
import type { StoredRule } from '../store/index.js';
import { unary, type Logger } from './handlers.js';
import type { RuleMsg } from './messages.js';

const maxSourceBytes = 1024 * 1024;

function requireSource(source: string): string {
  if (source.trim() === '') throw new ArgumentError('source', 'is empty; send the text of one or more rules');
  if (Buffer.byteLength(source) > maxSourceBytes) throw new ArgumentError('source', `is larger than ${maxSourceBytes} bytes`);
  return source;
}

function toMsg(r: StoredRule): RuleMsg {
  return { name: r.name, source: r.source, version: r.version, updatedAtMs: r.updatedAt };
}

export function ruleService(engine: Engine, log: Logger): grpc.UntypedServiceImplementation {
  return {
    validateRules: unary(log, 'ValidateRules', (req: { source: string }) => {
      const result = compileSource(requireSource(req.source));
      return { valid: result.diagnostics.length === 0, diagnostics: result.diagnostics, rules: result.decls.map((d) => d.name) };
    }),
    createRule: unary(log, 'CreateRule', async (req: { source: string }) => ({ rules: await engine.applyRules(requireSource(req.source), { createOnly: true }) })),
    applyRules: unary(log, 'ApplyRules', async (req: { source: string }) => ({ rules: await engine.applyRules(requireSource(req.source)) })),
    getRule: unary(log, 'GetRule', (req: { name: string }) => toMsg(engine.getRule(req.name))),
    listRules: unary(log, 'ListRules', () => ({ rules: engine.listRules().map(toMsg) })),
    deleteRule: unary(log, 'DeleteRule', async (req: { name: string }) => {
      await engine.deleteRule(req.name);
      return {};
    }),
  };
}
