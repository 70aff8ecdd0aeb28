/** What correlating one input batch changed: collected here, committed by the engine in the batch's one LMDB transaction. */
import type { AlertEvent, VigilError } from '../core/index.js';
import type { OperatorCommand } from './commands.js';
import type { CorrelatedEvent, CorrelateRecord, Decision } from './model.js';

export type CommandResult =
  | { readonly command: OperatorCommand; readonly ok: true; readonly record: CorrelateRecord }
  | { readonly command: OperatorCommand; readonly ok: false; readonly error: VigilError };

export class CorrelateEffects {
  /** Records to write into the `actors` table; `null` deletes. */
  readonly records = new Map<string, CorrelateRecord | null>();
  readonly deadlinesAdded: Array<readonly [number, string]> = [];
  readonly deadlinesRemoved: Array<readonly [number, string]> = [];
  /** One per input alert event, in the order they were applied. */
  readonly decisions: Decision[] = [];
  /** Alert events raised by correlate itself (upgrade time-out, cluster unreachable): append them to the alert event log. */
  readonly raised: AlertEvent[] = [];
  /** What delivery must plan, in order. */
  readonly notifications: CorrelatedEvent[] = [];
  /** One per operator command, in the order given. */
  readonly commandResults: CommandResult[] = [];
}
