import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/language/index.js';
import { scenarioRules } from './scenario-rules.js';

describe('scenario rules', () => {
  for (const [scenario, text] of Object.entries(scenarioRules)) {
    it(`expresses ${scenario} as rules that parse, check and compile`, () => {
      const result = compileSource(text);
      expect(result.diagnostics).toEqual([]);
      expect(result.rules.length).toBeGreaterThan(0);
      for (const rule of result.rules) expect(rule.ir.name).toBe(rule.name);
    });
  }
});
