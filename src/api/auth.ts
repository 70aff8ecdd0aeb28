/**
 * Token authentication and role checks for the Vigil services. Tokens are
 * configured as sha256 digests; a presented token is hashed and compared with
 * every configured digest in constant time, so neither the comparison nor the
 * position of a match leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { ConfigError } from '../core/index.js';
import { PermissionDeniedError, UnauthenticatedError } from './errors.js';

/** Ordered: each role may do everything the ones before it may. */
export const roles = ['read', 'write', 'admin'] as const;
export type Role = (typeof roles)[number];

/** One configured token: who it is (for logs and errors), its role, and the hex sha256 of the token text. */
export interface TokenGrant {
  readonly name: string;
  readonly role: Role;
  readonly sha256: string;
}

/** Who made a call. Without configured tokens every caller is `anonymous` with role admin. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

/**
 * The role each RPC needs, by full method name. A method missing here needs
 * admin: a new RPC stays closed until someone decides who may call it.
 * Standard health checking and reflection are not Vigil services and stay open.
 */
export const methodRoles: Readonly<Record<string, Role>> = {
  'vigil.v1.RuleService/ValidateRules': 'read',
  'vigil.v1.RuleService/GetRule': 'read',
  'vigil.v1.RuleService/ListRules': 'read',
  'vigil.v1.RuleService/Backtest': 'read',
  'vigil.v1.RuleService/CreateRule': 'write',
  'vigil.v1.RuleService/ApplyRules': 'write',
  'vigil.v1.RuleService/UpdateRule': 'write',
  'vigil.v1.RuleService/DeleteRule': 'write',
  'vigil.v1.AlertService/StreamAlerts': 'read',
  'vigil.v1.IngestService/Ingest': 'write',
  'vigil.v1.IngestService/IngestBatch': 'write',
  'vigil.v1.AdminService/ListActors': 'read',
  'vigil.v1.AdminService/InspectActor': 'read',
  'vigil.v1.AdminService/GetServerInfo': 'read',
  'vigil.v1.AdminService/ListDeliveries': 'admin',
  'vigil.v1.AdminService/RetryDelivery': 'admin',
  'vigil.v1.AdminService/GetDeliveryStats': 'admin',
  'vigil.v1.AdminService/ListDeadLetters': 'admin',
  'vigil.v1.ClusterService/ListClusters': 'read',
  'vigil.v1.SilenceService/ListSilences': 'read',
  'vigil.v1.IncidentService/ListIncidents': 'read',
  // Upgrades, maintenance, silences and acknowledgements decide who gets paged.
  'vigil.v1.ClusterService/StartUpgrade': 'admin',
  'vigil.v1.ClusterService/EndUpgrade': 'admin',
  'vigil.v1.ClusterService/StartMaintenance': 'admin',
  'vigil.v1.ClusterService/EndMaintenance': 'admin',
  'vigil.v1.SilenceService/CreateSilence': 'admin',
  'vigil.v1.SilenceService/ExpireSilence': 'admin',
  'vigil.v1.IncidentService/AcknowledgeIncident': 'admin',
};

export function requiredRole(method: string): Role {
  return methodRoles[method] ?? 'admin';
}

export function roleAllows(role: Role, needed: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(needed);
}

/** The hex sha256 of a token, the form it is configured in (`vigil token hash`). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const anonymous: Principal = { name: 'anonymous', role: 'admin' };
const bearer = /^Bearer +(\S+)$/i;
const sha256Hex = /^[0-9a-f]{64}$/i;

/** Checks calls against the configured tokens; with none configured, every call passes as `anonymous`. */
export class Authenticator {
  private readonly grants: ReadonlyArray<{ readonly principal: Principal; readonly digest: Buffer }>;

  constructor(grants: readonly TokenGrant[]) {
    for (const g of grants) {
      if (!sha256Hex.test(g.sha256)) throw new ConfigError(`token "${g.name}": sha256 must be 64 hex digits`);
      if (!roles.includes(g.role)) throw new ConfigError(`token "${g.name}": role must be one of ${roles.join(', ')}`);
    }
    this.grants = grants.map((g) => ({ principal: { name: g.name, role: g.role }, digest: Buffer.from(g.sha256, 'hex') }));
  }

  get enabled(): boolean {
    return this.grants.length > 0;
  }

  /** Who is calling; throws UnauthenticatedError when tokens are configured and the call carries no known one. */
  authenticate(metadata: grpc.Metadata, method: string): Principal {
    if (!this.enabled) return anonymous;
    const values = metadata.get('authorization');
    if (values.length === 0) throw new UnauthenticatedError('missing', method);
    const match = values.length === 1 && typeof values[0] === 'string' ? bearer.exec(values[0]) : null;
    if (!match) throw new UnauthenticatedError('malformed', method);
    const digest = createHash('sha256').update(match[1]!, 'utf8').digest();
    let found: Principal | undefined;
    // No early exit: every digest is compared whichever one matches.
    for (const g of this.grants) if (timingSafeEqual(digest, g.digest) && !found) found = g.principal;
    if (!found) throw new UnauthenticatedError('unknown', method);
    return found;
  }

  /** Authenticates and checks the role `method` needs; returns the caller. */
  authorize(metadata: grpc.Metadata, method: string): Principal {
    const principal = this.authenticate(metadata, method);
    const needed = requiredRole(method);
    if (!roleAllows(principal.role, needed)) throw new PermissionDeniedError(principal.name, principal.role, needed, method);
    return principal;
  }
}
