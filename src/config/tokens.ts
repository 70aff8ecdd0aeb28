/**
 * Bearer tokens in the configuration. A token is stored as the hex sha256 of
 * its text (`vigil token hash`, or `printf %s "$TOKEN" | sha256sum`), so the
 * config file holds nothing that lets a reader call the server. A plain
 * `token:` is accepted too and hashed at load, for local setups.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../core/index.js';

/** The roles of the gRPC API (src/api/auth.ts), least to most. */
export const tokenRoles = ['read', 'write', 'admin'] as const;

export interface TokenConfig {
  /** Who holds the token; shown in logs and PERMISSION_DENIED errors, never secret. */
  readonly name: string;
  readonly role: (typeof tokenRoles)[number];
  /** Hex sha256 of the token text. */
  readonly sha256: string;
}

const namePattern = /^[A-Za-z0-9_.@-]{1,100}$/;
const sha256Pattern = /^[0-9a-f]{64}$/;

function checkRole(role: unknown, where: string): TokenConfig['role'] {
  if (typeof role === 'string' && (tokenRoles as readonly string[]).includes(role)) return role as TokenConfig['role'];
  throw new ConfigError(`${where}: role must be one of ${tokenRoles.join(', ')}, got ${JSON.stringify(role)}`);
}

function checkName(name: unknown, where: string): string {
  if (typeof name === 'string' && namePattern.test(name)) return name;
  throw new ConfigError(`${where}: name must be 1-100 letters, digits, _ . @ -, got ${JSON.stringify(name)}`);
}

function checkDigest(sha256: unknown, where: string): string {
  if (typeof sha256 === 'string' && sha256Pattern.test(sha256.toLowerCase())) return sha256.toLowerCase();
  throw new ConfigError(`${where}: sha256 must be 64 hex digits (vigil token hash)`);
}

function uniqueNames(tokens: readonly TokenConfig[], where: string): readonly TokenConfig[] {
  const seen = new Set<string>();
  for (const t of tokens) {
    if (seen.has(t.name)) throw new ConfigError(`${where}: token name "${t.name}" appears twice`);
    seen.add(t.name);
  }
  return tokens;
}

/** Validates `grpc.auth.tokens` from a config file: a list of `{ name, role, sha256 | token }`. */
export function parseTokenList(value: unknown, where: string): TokenConfig[] {
  if (!Array.isArray(value)) throw new ConfigError(`${where}: must be a list of { name, role, sha256 }`);
  const tokens = value.map((entry: unknown, i): TokenConfig => {
    const at = `${where}[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new ConfigError(`${at}: must be a mapping { name, role, sha256 }`);
    const { name, role, sha256, token, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw new ConfigError(`${at}: unknown key "${unknown}"`);
    if ((sha256 === undefined) === (token === undefined)) throw new ConfigError(`${at}: give exactly one of sha256 (preferred) or token`);
    if (token !== undefined && (typeof token !== 'string' || token.length < 16)) throw new ConfigError(`${at}: token must be a string of at least 16 characters`);
    const digest = token !== undefined ? createHash('sha256').update(token as string, 'utf8').digest('hex') : checkDigest(sha256, at);
    return { name: checkName(name, at), role: checkRole(role, at), sha256: digest };
  });
  return [...uniqueNames(tokens, where)];
}

/**
 * Adds the tokens of `VIGIL_AUTH_TOKENS` ("name:role:sha256,…") to the file's;
 * an entry with the name of a file token replaces it.
 */
export function mergeEnvTokens(fromFile: readonly TokenConfig[], env: string): TokenConfig[] {
  const where = 'environment variable VIGIL_AUTH_TOKENS';
  const fromEnv = env
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry, i): TokenConfig => {
      const at = `${where} entry ${i + 1}`;
      const parts = entry.split(':');
      if (parts.length !== 3) throw new ConfigError(`${at}: write name:role:sha256`);
      return { name: checkName(parts[0], at), role: checkRole(parts[1], at), sha256: checkDigest(parts[2], at) };
    });
  uniqueNames(fromEnv, where);
  const names = new Set(fromEnv.map((t) => t.name));
  return [...fromFile.filter((t) => !names.has(t.name)), ...fromEnv];
}
