import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { bashCompletion, completionTree, zshCompletion } from '../../src/cli/completion.js';
import { tempDir } from '../support/temp-dir.js';
import { runCli } from '../support/vigil-process.js';

function sampleProgram(): Command {
  const program = new Command('vigil').option('-s, --server <addr>').option('--json');
  const rules = program.command('rules');
  rules.command('apply').argument('<file>').option('--expect-version <n>');
  rules.command('ls').option('--prefix <p>');
  program.command('alerts').command('watch').option('--severity <s...>');
  return program;
}

describe('vigil completion', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('derives command paths and flags from the command tree, global flags everywhere', () => {
    expect(completionTree(sampleProgram())).toEqual([
      { path: '', subcommands: ['rules', 'alerts'], flags: ['--server', '-s', '--json', '--help'] },
      { path: 'rules', subcommands: ['apply', 'ls'], flags: ['--server', '-s', '--json', '--help'] },
      { path: 'rules apply', subcommands: [], flags: ['--expect-version', '--server', '-s', '--json', '--help'] },
      { path: 'rules ls', subcommands: [], flags: ['--prefix', '--server', '-s', '--json', '--help'] },
      { path: 'alerts', subcommands: ['watch'], flags: ['--server', '-s', '--json', '--help'] },
      { path: 'alerts watch', subcommands: [], flags: ['--severity', '--server', '-s', '--json', '--help'] },
    ]);
  });

  it('completes subcommands and flags in bash', () => {
    const script = join(dir.path, 'vigil.bash');
    writeFileSync(script, bashCompletion(sampleProgram()));
    const complete = (...words: string[]): string =>
      execFileSync('bash', ['-c', `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _vigil; echo "\${COMPREPLY[*]}"`], {
        encoding: 'utf8',
      }).trim();
    expect(complete('vigil', '')).toBe('rules alerts');
    expect(complete('vigil', '--json', 'rules', 'a')).toBe('apply');
    expect(complete('vigil', 'alerts', 'watch', '--se')).toBe('--severity --server');
    expect(complete('vigil', 'rules', 'apply', 'file.vigil', '--ex')).toBe('--expect-version');
  });

  it('prints a zsh script registered for vigil', () => {
    const script = zshCompletion(sampleProgram());
    expect(script.startsWith('#compdef vigil\n')).toBe(true);
    expect(script).toContain('("rules apply") subs=(); flags=(--expect-version --server -s --json --help) ;;');
    expect(script).toContain('compdef _vigil vigil');
  });

  it('covers the real command tree and refuses an unknown shell', async () => {
    const bash = await runCli(['completion', 'bash']);
    expect(bash.stdout).toContain('"alerts watch") subs=""; flags="--after --tail --rule --label --severity --cluster');
    expect(bash.stdout).toContain('complete -o default -F _vigil vigil');
    const fish = await runCli(['completion', 'fish']);
    expect(fish.code).toBe(1);
    expect(fish.stderr).toBe('vigil: no completion for shell "fish"; use bash or zsh\n');
  });
});
