/** Lifecycle events on the stream (upgrade, maintenance, heartbeat) as cluster machine events. */
import type { ClusterEvent } from '../../actors/index.js';
import type { VigilEvent } from '../core/index.js';

/** The event types correlate reads; every other event type is not a lifecycle event and is ignored. */
export const LIFECYCLE_EVENT_TYPES = ['cluster.upgrade.started', 'cluster.upgrade.finished', 'cluster.maintenance.started', 'cluster.maintenance.finished', 'heartbeat'] as const;

/**
 * The cluster is the `clusterTag` tag (else field). A start may declare its end
 * as field `until` (event time, ms) or `duration_ms`.
 */
export function toClusterEvent(e: VigilEvent, clusterTag: string): { cluster: string; event: ClusterEvent } | undefined {
  const raw = e.tags[clusterTag] ?? e.fields[clusterTag];
  if (raw === undefined || raw === '') return undefined;
  const cluster = String(raw);
  switch (e.type) {
    case 'cluster.upgrade.started':
      return { cluster, event: { type: 'upgrade.start', ts: e.ts, until: declaredEnd(e), by: 'event' } };
    case 'cluster.upgrade.finished':
      return { cluster, event: { type: 'upgrade.finish', ts: e.ts } };
    case 'cluster.maintenance.started':
      return { cluster, event: { type: 'maintenance.start', ts: e.ts, until: declaredEnd(e), by: 'event' } };
    case 'cluster.maintenance.finished':
      return { cluster, event: { type: 'maintenance.finish', ts: e.ts } };
    case 'heartbeat':
      return { cluster, event: { type: 'heartbeat', ts: e.ts } };
    default:
      return undefined;
  }
}

function declaredEnd(e: VigilEvent): number | null {
  const until = e.fields.until;
  if (typeof until === 'number' && until > e.ts) return until;
  const duration = e.fields.duration_ms;
  if (typeof duration === 'number' && duration > 0) return e.ts + duration;
  return null;
}
