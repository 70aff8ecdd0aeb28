/** Reads what the gRPC server needs for TLS and tokens from the loaded configuration. */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/index.js';
import type { VigilConfig } from './config.js';
import type { TokenConfig } from './tokens.js';

export interface ServerSecurityConfig {
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer; readonly clientCa?: Buffer };
  readonly tokens: readonly TokenConfig[];
  readonly allowInsecure: boolean;
}

function readPem(key: string, file: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (e) {
    throw new ConfigError(`${key}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!pem.includes('-----BEGIN ')) throw new ConfigError(`${key}: ${file} is not a PEM file`);
  return pem;
}

/** Loads the PEM files named by `grpc.tls.*`; a half-configured TLS setup is an error, not plaintext. */
export function serverSecurity(config: VigilConfig): ServerSecurityConfig {
  const { tls, auth, allowInsecure } = config.grpc;
  const base = { tokens: auth.tokens, allowInsecure };
  if (!tls.certFile && !tls.keyFile) {
    if (tls.clientCaFile) throw new ConfigError('grpc.tls.clientCaFile needs grpc.tls.certFile and grpc.tls.keyFile: client certificates are checked only over TLS');
    return base;
  }
  if (!tls.certFile || !tls.keyFile) throw new ConfigError('grpc.tls: set both certFile and keyFile');
  const cert = readPem('grpc.tls.certFile', tls.certFile);
  const key = readPem('grpc.tls.keyFile', tls.keyFile);
  const clientCa = tls.clientCaFile ? readPem('grpc.tls.clientCaFile', tls.clientCaFile) : undefined;
  return { ...base, tls: { cert, key, ...(clientCa ? { clientCa } : {}) } };
}
