/**
 * Small readers for untyped config (parsed YAML), each failing with a
 * ConfigError that names the exact key. `${NAME}` in a string is replaced by
 * the environment variable NAME, so secrets stay out of config files; the
 * value never appears in an error message.
 */
import { ConfigError } from '../core/index.js';

export type RawConfig = Readonly<Record<string, unknown>>;

export interface FieldReader {
  readonly where: string;
  readonly raw: RawConfig;
  string(key: string): string;
  optString(key: string): string | undefined;
  number(key: string, fallback: number): number;
  boolean(key: string, fallback: boolean): boolean;
  strings(key: string): string[];
  stringMap(key: string): Record<string, string>;
  object(key: string): FieldReader | undefined;
  /** A list of mappings, each with its own reader. */
  list(key: string): FieldReader[];
  /** Reports keys that no reader asked for, so typos do not pass silently. */
  done(): void;
}

const envRef = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function expandEnv(value: string, env: NodeJS.ProcessEnv, where: string): string {
  return value.replace(envRef, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw new ConfigError(`${where}: environment variable ${name} is not set`);
    return v;
  });
}

export function isRecord(v: unknown): v is RawConfig {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function fieldReader(raw: unknown, where: string, env: NodeJS.ProcessEnv): FieldReader {
  if (!isRecord(raw)) throw new ConfigError(`${where}: must be a mapping`);
  const seen = new Set<string>();
  const at = (key: string): string => `${where}.${key}`;
  const get = (key: string): unknown => {
    seen.add(key);
    return raw[key];
  };
  const str = (key: string, v: unknown): string => {
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') throw new ConfigError(`${at(key)}: must be a string`);
    return expandEnv(v, env, at(key));
  };
  const reader: FieldReader = {
    where,
    raw,
    string(key) {
      const v = get(key);
      if (v === undefined || v === null || v === '') throw new ConfigError(`${at(key)}: is required`);
      return str(key, v);
    },
    optString(key) {
      const v = get(key);
      return v === undefined || v === null ? undefined : str(key, v);
    },
    number(key, fallback) {
      let v = get(key);
      if (v === undefined || v === null) return fallback;
      if (typeof v === 'string') v = Number(expandEnv(v, env, at(key)));
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`${at(key)}: must be a non-negative number`);
      return v;
    },
    boolean(key, fallback) {
      const v = get(key);
      if (v === undefined || v === null) return fallback;
      if (typeof v !== 'boolean') throw new ConfigError(`${at(key)}: must be true or false`);
      return v;
    },
    strings(key) {
      const v = get(key);
      if (v === undefined || v === null) return [];
      const list = Array.isArray(v) ? v : [v];
      return list.map((item, i) => str(`${key}[${i}]`, item));
    },
    stringMap(key) {
      const v = get(key);
      if (v === undefined || v === null) return {};
      if (!isRecord(v)) throw new ConfigError(`${at(key)}: must be a mapping of strings`);
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, str(`${key}.${k}`, item)]));
    },
    object(key) {
      const v = get(key);
      return v === undefined || v === null ? undefined : fieldReader(v, at(key), env);
    },
    list(key) {
      const v = get(key);
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v)) throw new ConfigError(`${at(key)}: must be a list`);
      return v.map((item, i) => fieldReader(item, `${at(key)}[${i}]`, env));
    },
    done() {
      for (const key of Object.keys(raw)) if (!seen.has(key)) throw new ConfigError(`${at(key)}: unknown key`);
    },
  };
  return reader;
}
