/** AdminService: what operators need to see inside Vigil — actors, their state and why, and the server. */
import type * as grpc from '@grpc/grpc-js';
import { ActorNotFoundError, ArgumentError } from '../core/index.js';
import type { Engine } from '../engine.js';
import type { AlertRecord, StoredRule } from '../store/index.js';
import { unary, type Logger } from './handlers.js';

const version = '0.1.0';

interface ListActorsMsg {
  kind: string;
  state: string;
  prefix: string;
  limit: number;
  pageToken: string;
}

interface Summary {
  id: string;
  kind: string;
  state: string;
  labels: Record<string, string>;
  sinceMs: number;
}

function alertSummary(r: AlertRecord): Summary {
  return { id: r.id, kind: 'alert', state: r.snapshot.state, labels: { ...r.labels }, sinceMs: r.history.at(-1)?.ts ?? 0 };
}

function ruleSummary(r: StoredRule): Summary {
  return { id: `rule/${r.name}`, kind: 'rule', state: 'active', labels: {}, sinceMs: r.updatedAt };
}

export function adminService(engine: Engine, log: Logger, dataDir: string): grpc.UntypedServiceImplementation {
  return {
    listActors: unary(log, 'ListActors', (req: ListActorsMsg) => {
      if (req.kind && req.kind !== 'rule' && req.kind !== 'alert') throw new ArgumentError('kind', `unknown actor kind "${req.kind}"; use rule or alert`);
      if (req.limit > 1000) throw new ArgumentError('limit', 'at most 1000 per page');
      const limit = req.limit || 100;
      const out: Summary[] = [];
      const wanted = (s: Summary): boolean => (!req.state || s.state === req.state) && s.id.startsWith(req.prefix) && s.id > req.pageToken;
      // "alert/…" ids sort before "rule/…" ones: walking alerts then rules keeps the whole listing in id order.
      if (!req.kind || req.kind === 'alert') {
        const start = req.pageToken > 'alert/' ? req.pageToken : 'alert/';
        for (const { value } of engine.store.actors.getRange({ start })) {
          if (out.length > limit) break;
          const s = alertSummary(value);
          if (wanted(s)) out.push(s);
        }
      }
      if ((!req.kind || req.kind === 'rule') && out.length <= limit) {
        for (const r of engine.listRules()) {
          if (out.length > limit) break;
          const s = ruleSummary(r);
          if (wanted(s)) out.push(s);
        }
      }
      const page = out.slice(0, limit);
      return { actors: page, nextPageToken: out.length > limit ? page.at(-1)!.id : '' };
    }),

    inspectActor: unary(log, 'InspectActor', (req: { id: string }) => {
      if (req.id.startsWith('rule/')) {
        const rule = engine.getRule(req.id.slice('rule/'.length));
        return {
          id: req.id,
          kind: 'rule',
          state: 'active',
          labels: {},
          contextJson: JSON.stringify({ version: rule.version, source: rule.source, updatedAt: rule.updatedAt }),
          deadlines: [],
          transitions: [],
          resident: true,
          rule: rule.name,
          snapshotVersion: 0,
        };
      }
      const rec = engine.store.actors.get(req.id);
      if (!rec) throw new ActorNotFoundError(req.id);
      const deadline = rec.snapshot.context.deadline;
      return {
        id: rec.id,
        kind: rec.kind,
        state: rec.snapshot.state,
        labels: { ...rec.labels },
        contextJson: JSON.stringify({ ...rec.snapshot.context, condition: rec.condition, lastSeen: rec.lastSeen, transitions: rec.transitions }),
        deadlines: deadline !== null ? [{ atMs: deadline, purpose: 'for: pending becomes firing' }] : [],
        transitions: rec.history.map((t) => ({ fromState: t.from, toState: t.to, tsMs: t.ts, value: t.value, cause: t.cause })),
        resident: engine.isResident(rec.id),
        rule: rec.rule,
        snapshotVersion: rec.snapshot.v,
      };
    }),

    getServerInfo: unary(log, 'GetServerInfo', () => {
      const state = engine.evaluatorState();
      return {
        version,
        lastSequence: engine.lastSeq(),
        watermarkMs: Number.isFinite(state.watermark) ? state.watermark : 0,
        rules: entryCount(engine.store.rules),
        alertActors: entryCount(engine.store.actors),
        residentActors: engine.residentCount(),
        dataDir,
      };
    }),
  };
}

/** LMDB keeps the entry count in its stats, so this is O(1) unlike counting keys. */
function entryCount(db: { getStats(): object }): number {
  return (db.getStats() as { entryCount?: number }).entryCount ?? 0;
}
