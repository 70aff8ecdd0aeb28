/**
 * Incidents: consolidated alerts with the same rendered signature, across
 * clusters, become one incident actor. A consolidated alert that people would
 * be told about joins it as a member instead; delivery turns the incident's
 * changes into one ticket per incident.
 */
import { initialIncidentSnapshot, isIncidentOpen, stepIncident, type IncidentEvent } from '../../actors/index.js';
import { ErrorCodes, VigilError } from '../core/index.js';
import type { CorrelateEffects } from './effects.js';
import { incidentId } from './ids.js';
import { CORRELATE_RECORD_VERSION, type ConsolidatedRecord, type IncidentChange, type IncidentRecord } from './model.js';
import type { RecordCache } from './record-cache.js';

/** Thrown (returned, in command results) when an operator names an incident that is not open. */
export class IncidentNotFoundError extends VigilError {
  override readonly name = 'IncidentNotFoundError';
  constructor(readonly incident: string) {
    super(ErrorCodes.INCIDENT_NOT_FOUND, `no open incident "${incident}" (ids look like incident/<signature>)`);
  }
}

export class Incidents {
  constructor(
    private readonly records: RecordCache,
    private readonly nextSeq: () => number,
  ) {}

  /** The consolidated alert `c` starts or stops firing as far as people are concerned. */
  memberChange(c: ConsolidatedRecord, to: 'firing' | 'resolved', ts: number, fx: CorrelateEffects): IncidentChange | undefined {
    const signature = c.signature!;
    const id = incidentId(signature);
    const rec: IncidentRecord = this.records.get(id, 'incident') ?? {
      kind: 'incident',
      v: CORRELATE_RECORD_VERSION,
      id,
      signature,
      labels: { signature, alertname: c.rule },
      severity: c.severity,
      snapshot: initialIncidentSnapshot(),
      memberLabels: {},
    };
    const member = c.cluster ?? c.subject;
    const event: IncidentEvent = to === 'firing' ? { type: 'member.firing', member, ts } : { type: 'member.recovered', member, ts };
    const after = stepIncident(rec.snapshot, event);
    if (after === rec.snapshot) return undefined;
    const opened = !isIncidentOpen(rec.snapshot);
    const next: IncidentRecord = {
      ...rec,
      snapshot: after,
      memberLabels: { ...(opened ? {} : rec.memberLabels), [member]: c.labels },
      ...(opened ? { severity: c.severity, ...(c.annotations ? { annotations: c.annotations } : {}) } : {}),
    };
    this.records.put(next, fx);
    const change = opened ? 'opened' : after.state === 'resolved' ? 'resolved' : 'members-changed';
    return this.emit(next, change, ts, fx, { id: member, change: to === 'firing' ? 'joined' : 'recovered' });
  }

  /** Acknowledges an open incident: delivery stops repeating it; it still resolves with its last member. */
  acknowledge(idOrSignature: string, ts: number, by: string, fx: CorrelateEffects): IncidentRecord | VigilError {
    const id = idOrSignature.startsWith('incident/') ? idOrSignature : incidentId(idOrSignature);
    const rec = this.records.get(id, 'incident');
    if (!rec || !isIncidentOpen(rec.snapshot)) return new IncidentNotFoundError(idOrSignature);
    const after = stepIncident(rec.snapshot, { type: 'acknowledge', ts, by });
    if (after === rec.snapshot) return rec;
    const next = { ...rec, snapshot: after };
    this.records.put(next, fx);
    this.emit(next, 'acknowledged', ts, fx);
    return next;
  }

  private emit(rec: IncidentRecord, change: IncidentChange['change'], ts: number, fx: CorrelateEffects, member?: IncidentChange['member']): IncidentChange {
    const seq = this.nextSeq();
    const ctx = rec.snapshot.context;
    const event: IncidentChange = {
      kind: 'incident',
      seq,
      id: `${rec.id}#${seq}`,
      incident: rec.id,
      // Not a member's summary: that names one cluster, the incident spans several.
      title: rec.signature,
      labels: rec.labels,
      ...(rec.annotations ? { annotations: incidentAnnotations(rec.annotations) } : {}),
      change,
      ...(member ? { member } : {}),
      members: Object.entries(ctx.members).map(([id, m]) => ({ id, labels: rec.memberLabels[id] ?? {}, state: m.state })),
      severity: rec.severity,
      ts,
      occurrence: ctx.occurrence,
      acknowledged: ctx.acknowledged !== null,
    };
    fx.notifications.push(event);
    return event;
  }
}

/**
 * The first member's annotations, without its `summary`: that names one
 * cluster and would become the ticket's title, while the incident spans
 * several (its title is the signature). Description, runbook and the rest stay.
 */
function incidentAnnotations(annotations: Readonly<Record<string, string>>): Record<string, string> {
  const { summary: _summary, ...rest } = annotations;
  return rest;
}
