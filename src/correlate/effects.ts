/** What correlating one input batch changed: collected here, committed by the engine in the batch's one LMDB transaction. */
import type { AlertEvent, VigilError } from '../core/index.js';
import type { OperatorCommand } from './commands.js';
import type { CorrelatedEvent, CorrelateRecord, Decision } from './model.js';

export type CommandResult =
  | { readonly command: OperatorCommand; readonly ok: true; readonly record: CorrelateRecord }
  | { readonly command: OperatorCommand; readonly ok: false; readonly error: VigilError };

type Deadline = readonly [number, string];

export class CorrelateEffects {
  /** Records to write into correlate's table; `null` deletes. */
  readonly records = new Map<string, CorrelateRecord | null>();
  /** One per input alert event, in the order they were applied. */
  readonly decisions: Decision[] = [];
  /** Alert events raised by correlate itself (upgrade time-out, cluster unreachable): append them to the alert event log. */
  readonly raised: AlertEvent[] = [];
  /** What delivery must plan, in order. */
  readonly notifications: CorrelatedEvent[] = [];
  /** One per operator command, in the order given. */
  readonly commandResults: CommandResult[] = [];
  // The last change of each deadline wins: a store that applies removals before additions would otherwise
  // keep a deadline added and removed in the same batch (two heartbeats of one cluster do exactly that).
  private readonly deadlineChanges = new Map<string, { readonly deadline: Deadline; readonly add: boolean }>();

  addDeadline(at: number, id: string): void {
    this.deadlineChanges.set(`${at}|${id}`, { deadline: [at, id], add: true });
  }

  removeDeadline(at: number, id: string): void {
    this.deadlineChanges.set(`${at}|${id}`, { deadline: [at, id], add: false });
  }

  /** Deadlines to put into the deadlines table (never also in `deadlinesRemoved`). */
  get deadlinesAdded(): Deadline[] {
    return [...this.deadlineChanges.values()].filter((c) => c.add).map((c) => c.deadline);
  }

  get deadlinesRemoved(): Deadline[] {
    return [...this.deadlineChanges.values()].filter((c) => !c.add).map((c) => c.deadline);
  }

  /** Anything to commit (records, deadlines, events, notifications). */
  get changed(): boolean {
    return this.records.size > 0 || this.deadlineChanges.size > 0 || this.raised.length > 0 || this.notifications.length > 0;
  }
}
