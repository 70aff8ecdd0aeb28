/** AlertService: the committed alert event log, replayed from a sequence number and then followed live. */
import type * as grpc from '@grpc/grpc-js';
import { SequenceTrimmedError, type AlertEvent } from '../core/index.js';
import type { Engine } from '../engine.js';
import type { Logger } from './handlers.js';
import type { AlertEventMsg, StreamAlertsRequestMsg } from './messages.js';
import { toServiceError } from './status.js';

const pageSize = 1000;

export function toAlertEventMsg(e: AlertEvent): AlertEventMsg {
  return {
    sequence: e.seq,
    id: e.id,
    rule: e.rule,
    alert: e.alert,
    labels: { ...e.labels },
    fromState: e.from,
    toState: e.to,
    tsMs: e.ts,
    value: e.value,
    severity: e.severity,
  };
}

export function alertService(engine: Engine, _log: Logger): grpc.UntypedServiceImplementation {
  const streamAlerts: grpc.handleServerStreamingCall<StreamAlertsRequestMsg, AlertEventMsg> = (call) => {
    const { afterSequence, tail, rules } = call.request;
    const ruleFilter = rules.length > 0 ? new Set(rules) : undefined;
    let last = tail ? engine.lastSeq() : afterSequence;
    const oldest = engine.store.oldestEventSeq();
    if (!tail && oldest !== undefined && afterSequence + 1 < oldest && afterSequence !== 0) {
      call.emit('error', toServiceError(new SequenceTrimmedError(afterSequence, oldest)));
      return;
    }
    const send = (e: AlertEvent): void => {
      if (e.seq <= last) return;
      last = e.seq;
      if (!ruleFilter || ruleFilter.has(e.rule)) call.write(toAlertEventMsg(e));
    };
    // Catch-up and subscription happen in one synchronous stretch: no commit can land in
    // between, so the stream has neither a gap nor a repeat at the seam.
    for (let page = engine.readEvents(last, pageSize); page.length > 0; page = engine.readEvents(last, pageSize)) page.forEach(send);
    const unsubscribe = engine.subscribe((events) => events.forEach(send));
    call.on('cancelled', unsubscribe);
    call.on('close', unsubscribe);
    call.on('error', unsubscribe);
  };
  return { streamAlerts };
}
