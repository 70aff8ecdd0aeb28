/** `vigil rules …`: apply, list, get, delete (via gRPC) and validate, fmt (offline). */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { call, type AppliedRuleMsg, type RuleMsg } from '../api/index.js';
import { compileSource, format, parse } from '../language/index.js';
import { withClients, type ClientOptions } from './context.js';
import { table } from './output.js';

function readSource(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`vigil: cannot read ${file}: ${(e as Error).message}\n`);
    process.exitCode = 1;
    return undefined;
  }
}

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('manage alert rules');

  rules
    .command('apply')
    .argument('<file>', 'a .vigil file with one or more rules')
    .description('create or update every rule in FILE (all or nothing)')
    .action(async (file: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      const source = readSource(file);
      if (source === undefined) return;
      await withClients(
        opts,
        async (c) => {
          const res = await call<{ rules: AppliedRuleMsg[] }>(c.rules, 'applyRules', { source });
          if (opts.json) process.stdout.write(`${JSON.stringify(res.rules)}\n`);
          else for (const r of res.rules) process.stdout.write(`rule ${r.name} ${r.change} (version ${r.version})\n`);
        },
        file,
      );
    });

  rules
    .command('ls')
    .description('list rules')
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ClientOptions>();
      await withClients(opts, async (c) => {
        const res = await call<{ rules: RuleMsg[] }>(c.rules, 'listRules', {});
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(res.rules)}\n`);
          return;
        }
        const rows = res.rules.map((r) => [r.name, String(r.version), new Date(r.updatedAtMs).toISOString()]);
        process.stdout.write(`${table(['NAME', 'VERSION', 'UPDATED'], rows)}\n`);
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
