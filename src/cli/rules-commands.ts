/** `vigil rules …`: apply, list, get, delete (via gRPC) and validate, fmt (offline). */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { call, type AppliedRuleMsg, type ListRulesResponseMsg, type RuleMsg, type VigilClients } from '../api/index.js';
import { compileSource, format, parse } from '../language/index.js';
import { withClients, type ClientOptions } from './context.js';
import { parseLabelFlags } from './alerts-commands.js';
import { fail, formatLabels, table } from './output.js';

function readSource(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read ${file}: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * `--expect-version` values as ApplyRulesRequest.expected_versions: `NAME=N`
 * for any rule of the file, or a bare `N` when the file holds exactly one rule.
 */
export function expectedVersions(flags: readonly string[], source: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of flags) {
    const m = /^(?:([^=]+)=)?(\d+)$/.exec(f);
    if (!m) throw new Error(`--expect-version ${f}: write N or NAME=N`);
    let name = m[1];
    if (name === undefined) {
      const names = parse(source).value?.rules.map((r) => r.name) ?? [];
      if (names.length !== 1) throw new Error(`--expect-version ${f}: the file holds ${names.length} rules; write NAME=N for each`);
      name = names[0]!;
    }
    out[name] = Number(m[2]);
  }
  return out;
}

/** Every page of ListRules with these filters (or just the first `limit` rules). */
async function listAllRules(c: VigilClients, filter: { namePrefix: string; labels: Record<string, string> }, limit: number): Promise<RuleMsg[]> {
  const rules: RuleMsg[] = [];
  let pageToken = '';
  do {
    const pageSize = limit > 0 ? Math.min(1000, limit - rules.length) : 0;
    const res = await call<ListRulesResponseMsg>(c.rules, 'listRules', { ...filter, pageSize, pageToken });
    rules.push(...res.rules);
    pageToken = res.nextPageToken;
  } while (pageToken && (limit === 0 || rules.length < limit));
  return rules;
}

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('manage alert rules');

  rules
    .command('apply')
    .argument('<file>', 'a .vigil file with one or more rules')
    .description('create or update every rule in FILE (all or nothing)')
    .option('--expect-version <N|name=N...>', 'fail with a conflict unless the rule is at this version (0: must not exist yet)')
    .addHelpText('after', '\nExamples:\n  vigil rules apply hot.vigil --expect-version 3        # hot.vigil holds one rule\n  vigil rules apply all.vigil --expect-version hot=3 cold=0')
    .action(async (file: string, o: { expectVersion?: string[] }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      const source = readSource(file);
      if (source === undefined) return;
      let expected: Record<string, number>;
      try {
        expected = expectedVersions(o.expectVersion ?? [], source);
      } catch (e) {
        fail((e as Error).message);
        return;
      }
      await withClients(
        opts,
        async (c) => {
          const res = await call<{ rules: AppliedRuleMsg[] }>(c.rules, 'applyRules', { source, expectedVersions: expected });
          if (opts.json) process.stdout.write(`${JSON.stringify(res.rules)}\n`);
          else for (const r of res.rules) process.stdout.write(`rule ${r.name} ${r.change} (version ${r.version})\n`);
        },
        file,
      );
    });

  rules
    .command('ls')
    .description('list rules in name order')
    .option('--prefix <name>', 'only rules whose name starts with this')
    .option('--label <name=value...>', 'only rules with these static labels')
    .option('--limit <n>', 'at most this many (default: all)', '0')
    .action(async (o: { prefix?: string; label?: string[]; limit: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      let labels: Record<string, string>;
      try {
        labels = parseLabelFlags(o.label);
      } catch (e) {
        fail((e as Error).message);
        return;
      }
      await withClients(opts, async (c) => {
        const rules = await listAllRules(c, { namePrefix: o.prefix ?? '', labels }, Number(o.limit) || 0);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rules)}\n`);
          return;
        }
        const rows = rules.map((r) => [r.name, String(r.version), r.severity || '-', formatLabels(r.labels) || '-', new Date(r.updatedAtMs).toISOString()]);
        process.stdout.write(`${table(['NAME', 'VERSION', 'SEVERITY', 'LABELS', 'UPDATED'], rows)}\n`);
      });
    });

  rules
    .command('get')
    .argument('<name>')
    .description('print a rule as stored')
    .action(async (name: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const r = await call<RuleMsg>(c.rules, 'getRule', { name });
        process.stdout.write(opts.json ? `${JSON.stringify(r)}\n` : r.source);
      });
    });

  rules
    .command('rm')
    .argument('<name>')
    .description('delete a rule and the state of its alerts')
    .action(async (name: string, _o, cmd: Command) => {
      await withClients(cmd.optsWithGlobals<ClientOptions>(), async (c) => {
        await call(c.rules, 'deleteRule', { name });
        process.stdout.write(`rule ${name} deleted\n`);
      });
    });

  rules
    .command('validate')
    .argument('<file>')
    .description('check FILE offline; print every problem as FILE:LINE:COLUMN')
    .action((file: string) => {
      const source = readSource(file);
      if (source === undefined) return;
      const res = compileSource(source);
      for (const d of res.diagnostics) process.stderr.write(`${file}:${d.line}:${d.column}: ${d.message} (${d.code})\n`);
      if (res.diagnostics.length > 0) process.exitCode = 1;
      else process.stdout.write(`${file}: ${res.rules.length} rule(s) OK\n`);
    });

  rules
    .command('fmt')
    .argument('<file>')
    .option('-w, --write', 'rewrite FILE in place instead of printing')
    .description('print FILE in canonical form')
    .action((file: string, o: { write?: boolean }) => {
      const source = readSource(file);
      if (source === undefined) return;
      const parsed = parse(source);
      if (!parsed.value) {
        for (const d of parsed.diagnostics) process.stderr.write(`${file}:${d.line}:${d.column}: ${d.message} (${d.code})\n`);
        process.exitCode = 1;
        return;
      }
      const text = format(parsed.value);
      if (o.write) writeFileSync(file, text);
      else process.stdout.write(text);
    });
}
