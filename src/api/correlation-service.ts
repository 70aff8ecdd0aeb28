/**
 * ClusterService, SilenceService and IncidentService: operator control of the
 * correlate stage. Changes become operator commands that the engine runs in
 * order with the ingested batches, at its current event time.
 */
import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { ArgumentError } from '../core/index.js';
import type { OperatorCommand } from '../correlate/index.js';
import type { Engine } from '../engine.js';
import type { Authenticator } from './auth.js';
import { toClusterMsg, toIncidentMsg, toSilenceMsg, type IncidentMsg } from './correlation-messages.js';
import { unary, type Logger } from './handlers.js';

interface StartUpgradeMsg {
  cluster: string;
  durationMs: number;
  by: string;
}

interface EndWindowMsg {
  cluster: string;
  by: string;
}

interface CreateSilenceMsg {
  matchers: Array<{ label: string; op: string; value: string }>;
  startsAtMs: number;
  endsAtMs: number;
  durationMs: number;
  createdBy: string;
  comment: string;
}

/** Who acts: the name given in the request, else the caller's token name (`anonymous` without tokens). */
function actor(auth: Authenticator, call: grpc.ServerUnaryCall<unknown, unknown>, given: string, method: string): string {
  return given !== '' ? given : auth.authenticate(call.metadata, method).name;
}

function nonNegative(field: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new ArgumentError(field, `must be a non-negative number of milliseconds, got ${ms}`);
  return ms;
}

export function clusterService(engine: Engine, auth: Authenticator, log: Logger): grpc.UntypedServiceImplementation {
  const run = async (make: (ts: number) => OperatorCommand) => {
    const rec = await engine.command(make);
    if (rec.kind !== 'cluster') throw new Error(`a cluster command answered with a ${rec.kind} record`);
    return toClusterMsg(rec);
  };
  const method = (name: string): string => `vigil.v1.ClusterService/${name}`;
  return {
    listClusters: unary(log, 'ListClusters', () => ({ clusters: engine.clusters().map(toClusterMsg) })),
    startUpgrade: unary(log, 'StartUpgrade', (req: StartUpgradeMsg, call) => {
      const duration = nonNegative('duration_ms', req.durationMs);
      const by = actor(auth, call, req.by, method('StartUpgrade'));
      return run((ts) => ({ type: 'upgrade.start', cluster: req.cluster, ts, ...(duration > 0 ? { until: ts + duration } : {}), by }));
    }),
    endUpgrade: unary(log, 'EndUpgrade', (req: EndWindowMsg, call) => {
      const by = actor(auth, call, req.by, method('EndUpgrade'));
      return run((ts) => ({ type: 'upgrade.end', cluster: req.cluster, ts, by }));
    }),
    startMaintenance: unary(log, 'StartMaintenance', (req: StartUpgradeMsg, call) => {
      if (!(req.durationMs > 0)) throw new ArgumentError('duration_ms', 'a maintenance window needs a length (e.g. vigil clusters maintenance ID --for 2h)');
      const by = actor(auth, call, req.by, method('StartMaintenance'));
      return run((ts) => ({ type: 'maintenance.start', cluster: req.cluster, ts, until: ts + req.durationMs, by }));
    }),
    endMaintenance: unary(log, 'EndMaintenance', (req: EndWindowMsg, call) => {
      const by = actor(auth, call, req.by, method('EndMaintenance'));
      return run((ts) => ({ type: 'maintenance.end', cluster: req.cluster, ts, by }));
    }),
  };
}

export function silenceService(engine: Engine, auth: Authenticator, log: Logger): grpc.UntypedServiceImplementation {
  return {
    createSilence: unary(log, 'CreateSilence', async (req: CreateSilenceMsg, call) => {
      nonNegative('starts_at_ms', req.startsAtMs);
      nonNegative('ends_at_ms', req.endsAtMs);
      nonNegative('duration_ms', req.durationMs);
      if ((req.endsAtMs > 0) === (req.durationMs > 0)) throw new ArgumentError('ends_at_ms', 'give either ends_at_ms or duration_ms');
      const createdBy = actor(auth, call, req.createdBy, 'vigil.v1.SilenceService/CreateSilence');
      const id = randomUUID();
      const rec = await engine.command((ts) => {
        const startsAt = req.startsAtMs || ts;
        return {
          type: 'silence.add',
          ts,
          silence: {
            id,
            matchers: req.matchers.map((m) => ({ label: m.label, op: m.op as '=', value: m.value })),
            startsAt,
            endsAt: req.endsAtMs || startsAt + req.durationMs,
            createdBy,
            comment: req.comment,
          },
        };
      });
      if (rec.kind !== 'silence') throw new Error(`a silence command answered with a ${rec.kind} record`);
      return toSilenceMsg(rec, engine.eventTimeNow());
    }),
    listSilences: unary(log, 'ListSilences', () => {
      const now = engine.eventTimeNow();
      return { silences: engine.silences().map((s) => toSilenceMsg(s, now)) };
    }),
    expireSilence: unary(log, 'ExpireSilence', async (req: { id: string; by: string }, call) => {
      const by = actor(auth, call, req.by, 'vigil.v1.SilenceService/ExpireSilence');
      const rec = await engine.command((ts) => ({ type: 'silence.expire', id: req.id, ts, by }));
      if (rec.kind !== 'silence') throw new Error(`a silence command answered with a ${rec.kind} record`);
      return toSilenceMsg(rec, engine.eventTimeNow());
    }),
  };
}

export function incidentService(engine: Engine, auth: Authenticator, log: Logger): grpc.UntypedServiceImplementation {
  return {
    listIncidents: unary(log, 'ListIncidents', (req: { openOnly: boolean }) => {
      const all: IncidentMsg[] = engine.incidents().map(toIncidentMsg);
      return { incidents: req.openOnly ? all.filter((i) => i.state === 'open' || i.state === 'acknowledged') : all };
    }),
    acknowledgeIncident: unary(log, 'AcknowledgeIncident', async (req: { incident: string; by: string }, call) => {
      const by = actor(auth, call, req.by, 'vigil.v1.IncidentService/AcknowledgeIncident');
      const rec = await engine.command((ts) => ({ type: 'incident.ack', incident: req.incident, ts, by }));
      if (rec.kind !== 'incident') throw new Error(`an incident command answered with a ${rec.kind} record`);
      return toIncidentMsg(rec);
    }),
  };
}
