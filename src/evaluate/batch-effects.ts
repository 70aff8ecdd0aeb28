/** What evaluating one input batch changed: collected here, committed by the engine in one transaction. */
import type { AlertEvent } from '../core/index.js';
import type { AlertRecord } from '../store/index.js';

export class BatchEffects {
  readonly actors = new Map<string, AlertRecord | null>();
  readonly events: AlertEvent[] = [];
  readonly deadlinesAdded: Array<readonly [number, string]> = [];
  readonly deadlinesRemoved: Array<readonly [number, string]> = [];
  late = 0;
}
