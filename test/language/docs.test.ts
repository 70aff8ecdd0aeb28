import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/language/index.js';
import { scenarioRules } from './scenario-rules.js';

const doc = readFileSync(new URL('../../docs/rule-language.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```vigil\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/rule-language.md', () => {
  it('has examples, and every one of them compiles', () => {
    expect(blocks.length).toBeGreaterThan(10);
    for (const block of blocks) expect(compileSource(block).diagnostics).toEqual([]);
  });

  it('shows every scenario rule exactly as the scenario tests compile it', () => {
    for (const text of Object.values(scenarioRules)) expect(doc).toContain(text.trim());
  });
});
