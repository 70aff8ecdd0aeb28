import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { methodRoles } from '../../src/api/index.js';
import { packageDefinition } from '../../src/api/proto.js';
import { ErrorCodes } from '../../src/core/index.js';
import { repoRoot } from '../support/vigil-process.js';

const doc = readFileSync(join(repoRoot, 'docs', 'api.md'), 'utf8');

describe('docs/api.md', () => {
  const methods = Object.entries(packageDefinition)
    .filter(([name, def]) => name.startsWith('vigil.v1.') && !('format' in def))
    .flatMap(([service, def]) => Object.keys(def).map((m) => ({ service, method: m })));

  it('documents every RPC with a grpcurl example', () => {
    const missing = methods.filter(({ service, method }) => !doc.includes(`**${method}** (`) || !doc.includes(`${service}/${method}`));
    expect(missing).toEqual([]);
  });

  it('gives each RPC the role the server enforces', () => {
    const wrong = methods.filter(({ service, method }) => !new RegExp(`\\*\\*${method}\\*\\* \\(${methodRoles[`${service}/${method}`] ?? 'admin'}\\)`).test(doc));
    expect(wrong).toEqual([]);
  });

  it('lists every error code', () => {
    expect(Object.keys(ErrorCodes).filter((code) => !doc.includes(`\`${code}\``))).toEqual([]);
  });
});
