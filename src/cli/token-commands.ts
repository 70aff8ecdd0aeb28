/** `vigil token new|hash`: make API tokens and the sha256 form the server config stores. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { hashToken, roles } from '../api/index.js';
import { fail } from './output.js';

export function registerToken(program: Command): void {
  const token = program.command('token').description('make API tokens for grpc.auth.tokens');
  token
    .command('new')
    .description('print a new random token and the config entry that accepts it')
    .requiredOption('--name <name>', 'who will hold it, e.g. ci or alice')
    .option('--role <role>', roles.join(', '), 'read')
    .action((o: { name: string; role: string }) => {
      if (!(roles as readonly string[]).includes(o.role)) {
        fail(`--role must be one of ${roles.join(', ')}`);
        return;
      }
      const secret = randomBytes(32).toString('base64url');
      process.stdout.write(
        `token (give it to ${o.name}; it is not shown again):\n  ${secret}\n\n` +
          `config (grpc.auth.tokens in the server's YAML):\n  - name: ${o.name}\n    role: ${o.role}\n    sha256: ${hashToken(secret)}\n\n` +
          `or in the environment: VIGIL_AUTH_TOKENS=${o.name}:${o.role}:${hashToken(secret)}\n`,
      );
    });
  token
    .command('hash')
    .argument('[token]', 'the token; read from stdin when absent (keeps it out of shell history)')
    .description('print the hex sha256 of a token, the form grpc.auth.tokens stores')
    .action((given?: string) => {
      const text = given ?? readFileSync(0, 'utf8').replace(/\r?\n$/, '');
      process.stdout.write(`${hashToken(text)}\n`);
    });
}
