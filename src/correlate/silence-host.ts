/** Silence lifecycle: added and expired by operators, ended by their event-time deadline; an end reconciles what they held back. */
import { ArgumentError, ErrorCodes, VigilError } from '../core/index.js';
import type { SilenceSpec } from './commands.js';
import type { DeadlineList } from './deadlines.js';
import type { CorrelateEffects } from './effects.js';
import { silenceId } from './ids.js';
import { CORRELATE_RECORD_VERSION, type SilenceRecord } from './model.js';
import { silenceEnd, type Silences } from './silences.js';

/** Thrown (returned, in command results) when an operator names a silence that does not exist. */
export class SilenceNotFoundError extends VigilError {
  override readonly name = 'SilenceNotFoundError';
  constructor(readonly silence: string) {
    super(ErrorCodes.SILENCE_NOT_FOUND, `silence "${silence}" does not exist`);
  }
}

export type Release = (records: readonly string[], ts: number, cause: string, fx: CorrelateEffects) => void;

export class SilenceHost {
  constructor(
    private readonly silences: Silences,
    private readonly deadlines: DeadlineList,
    private readonly release: Release,
  ) {}

  add(spec: SilenceSpec, ts: number, fx: CorrelateEffects): SilenceRecord | VigilError {
    const id = silenceId(spec.id);
    if (this.silences.get(id)) return new ArgumentError('id', `silence "${spec.id}" already exists`);
    if (spec.endsAt <= ts) return new ArgumentError('endsAt', `the silence would already be over (ends ${spec.endsAt}, now ${ts})`);
    const rec: SilenceRecord = {
      kind: 'silence',
      v: CORRELATE_RECORD_VERSION,
      id,
      silence: spec.id,
      matchers: spec.matchers,
      startsAt: spec.startsAt,
      endsAt: spec.endsAt,
      createdBy: spec.createdBy,
      comment: spec.comment ?? '',
      createdAt: ts,
      expiredAt: null,
      affected: [],
    };
    this.silences.put(rec, fx);
    fx.addDeadline(rec.endsAt, id);
    this.deadlines.add(rec.endsAt, id);
    return rec;
  }

  /** Ends a silence now; one already over is left as it is. */
  expire(silence: string, ts: number, fx: CorrelateEffects): SilenceRecord | VigilError {
    const id = silence.startsWith('silence/') ? silence : silenceId(silence);
    const rec = this.silences.get(id);
    if (!rec) return new SilenceNotFoundError(silence);
    if (silenceEnd(rec) <= ts) return rec;
    fx.removeDeadline(rec.endsAt, id);
    this.deadlines.remove(rec.endsAt, id);
    return this.end({ ...rec, expiredAt: ts }, ts, fx);
  }

  onDeadline(id: string, at: number, fx: CorrelateEffects): void {
    const rec = this.silences.get(id);
    if (!rec || rec.expiredAt !== null || rec.endsAt !== at) return;
    fx.removeDeadline(at, id);
    this.end(rec, at, fx);
  }

  private end(rec: SilenceRecord, ts: number, fx: CorrelateEffects): SilenceRecord {
    const next = { ...rec, affected: [] };
    this.silences.put(next, fx);
    this.release(rec.affected, ts, `release:silence:${rec.id}`, fx);
    return next;
  }
}
