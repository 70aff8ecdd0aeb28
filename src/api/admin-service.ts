/** AdminService: what operators need to see inside Vigil — actors, their state and why, and the server. */
import type * as grpc from '@grpc/grpc-js';
import { ActorNotFoundError, ArgumentError } from '../core/index.js';
import type { Engine } from '../engine.js';
import type { AlertRecord, StoredRule } from '../store/index.js';
import { correlateDetail, correlateKinds, correlateSummary } from './correlate-actors.js';
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

/** Correlate's per-subject and per-inhibitor records: listed only when asked for by kind, or every firing alert would show twice. */
const bookkeeping = new Set(['consolidated', 'inhibitor']);

export function adminService(engine: Engine, log: Logger, dataDir: string): grpc.UntypedServiceImplementation {
  return {
    listActors: unary(log, 'ListActors', (req: ListActorsMsg) => {
      const kinds = ['alert', 'rule', ...correlateKinds];
      if (req.kind && !kinds.includes(req.kind)) throw new ArgumentError('kind', `unknown actor kind "${req.kind}"; use one of ${kinds.join(', ')}`);
      if (req.limit > 1000) throw new ArgumentError('limit', 'at most 1000 per page');
      const limit = req.limit || 100;
      const out: Summary[] = [];
      const wanted = (s: Summary): boolean => (!req.state || s.state === req.state) && s.id.startsWith(req.prefix) && s.id > req.pageToken;
      const now = engine.eventTimeNow();
      // Each kind's ids share a prefix, and walking the kinds in prefix order keeps the whole listing in id order.
      const sources: Array<[string, () => Iterable<Summary>]> = [
        ['alert', () => mapIter(engine.store.actors.getRange({ start: req.pageToken > 'alert/' ? req.pageToken : 'alert/', end: 'alert/\uffff' }), ({ value }) => alertSummary(value))],
        ...correlateKinds.map((k): [string, () => Iterable<Summary>] => [k, () => mapIter(engine.listCorrelateRecords(`${k}/`, req.pageToken), (r) => correlateSummary(r, now))]),
        ['rule', () => mapIter(engine.listRules(), ruleSummary)],
      ];
      sources.sort(([a], [b]) => (a < b ? -1 : 1));
      for (const [kind, list] of sources) {
        if (req.kind ? req.kind !== kind : bookkeeping.has(kind)) continue;
        for (const s of list()) {
          if (out.length > limit) break;
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
          // `late`: items late for this rule, by source (docs/evaluation.md).
          contextJson: JSON.stringify({ version: rule.version, source: rule.source, updatedAt: rule.updatedAt, late: engine.lateCounts()[rule.name] ?? {} }),
          deadlines: [],
          transitions: [],
          resident: true,
          rule: rule.name,
          snapshotVersion: 0,
        };
      }
      const correlated = engine.correlateRecord(req.id);
      if (correlated) return correlateDetail(correlated, engine.eventTimeNow());
      const rec = engine.store.actors.get(req.id);
      if (!rec) throw new ActorNotFoundError(req.id);
      const { deadline, hold } = rec.snapshot.context as { deadline: number | null; hold?: 'keep' | 'flap' | null };
      const purpose = hold === 'keep' ? 'keep firing: resolves unless the condition holds again' : hold === 'flap' ? 'flapping: resolves once quiet' : 'for: pending becomes firing';
      const deadlines = [...(deadline !== null ? [{ atMs: deadline, purpose }] : []), ...(typeof rec.noDataAt === 'number' ? [{ atMs: rec.noDataAt, purpose: 'no data: fires or resolves unless the group reports' }] : [])];
      return {
        id: rec.id,
        kind: rec.kind,
        state: rec.snapshot.state,
        labels: { ...rec.labels },
        // `correlation`: who hears about it and what holds it back (docs/correlation.md).
        contextJson: JSON.stringify({ ...rec.snapshot.context, condition: rec.condition, lastSeen: rec.lastSeen, transitions: rec.transitions, correlation: engine.explain(rec.id) }),
        deadlines,
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

function* mapIter<T, U>(items: Iterable<T>, f: (item: T) => U): Iterable<U> {
  for (const item of items) yield f(item);
}
