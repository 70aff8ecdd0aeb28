/**
 * How the gRPC server is reached: TLS (optionally requiring client
 * certificates) and the rule that keeps an unprotected server on loopback.
 */
import { isIP } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { ConfigError } from '../core/index.js';
import type { TokenGrant } from './auth.js';
import type { Logger } from './handlers.js';

/** PEM contents (not file names) for the server side of TLS. */
export interface ServerTls {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** When set, clients must present a certificate signed by this CA (mTLS). */
  readonly clientCa?: Buffer;
}

export interface GrpcSecurity {
  /** Serve TLS instead of plaintext. */
  readonly tls?: ServerTls;
  /** Tokens accepted in `authorization: Bearer <token>`; none means no token checks. */
  readonly tokens?: readonly TokenGrant[];
  /** Serve a non-loopback address without TLS and authentication anyway (logs a warning). @default false */
  readonly allowInsecure?: boolean;
}

/** The host part of `host:port`, `[v6]:port` or `unix:path` (which is local by nature). */
function hostOf(listen: string): string {
  const addr = listen.replace(/^dns:(\/\/\/)?/, '');
  if (addr.startsWith('unix:')) return 'unix';
  const host = addr.slice(0, Math.max(0, addr.lastIndexOf(':')));
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** True when only processes on this machine can connect to `listen`. */
export function isLoopback(listen: string): boolean {
  const host = hostOf(listen).toLowerCase();
  if (host === 'unix' || host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Refuses to serve a non-loopback address without TLS and authentication
 * (tokens, or client certificates) unless `allowInsecure` says so; then warns.
 */
export function checkBindPolicy(listen: string, security: GrpcSecurity, log: Logger): void {
  if (isLoopback(listen)) return;
  const missing: string[] = [];
  if (!security.tls) missing.push('TLS (grpc.tls.certFile and grpc.tls.keyFile)');
  if (!security.tokens?.length && !security.tls?.clientCa) missing.push('authentication (grpc.auth.tokens, or grpc.tls.clientCaFile for client certificates)');
  if (missing.length === 0) return;
  if (!security.allowInsecure) {
    throw new ConfigError(
      `refusing to serve ${listen} without ${missing.join(' and ')}: anyone who can reach it could change rules and read alerts. ` +
        'Configure them, listen on 127.0.0.1, or set grpc.allowInsecure (--allow-insecure) to accept the risk',
    );
  }
  log('warn', 'serving without protection on a non-loopback address (grpc.allowInsecure is set)', { listen, missing });
}

export function serverCredentials(tls: ServerTls | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(tls.clientCa ?? null, [{ cert_chain: tls.cert, private_key: tls.key }], tls.clientCa !== undefined);
}
