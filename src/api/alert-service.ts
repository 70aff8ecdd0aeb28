/** AlertService: the committed alert event log, replayed from a sequence number and then followed live. */
import * as grpc from '@grpc/grpc-js';
import { LimitError } from '../core/index.js';
import type { Engine } from '../engine.js';
import { alertFilter } from './alert-filter.js';
import { AlertSubscription } from './alert-stream.js';
import type { Logger } from './handlers.js';
import type { AlertEventMsg, StreamAlertsRequestMsg } from './messages.js';
import { toServiceError } from './status.js';

export interface AlertServiceOptions {
  /** Most StreamAlerts calls open at once. @default 1000 */
  readonly maxSubscribers?: number;
  /** Live events buffered per subscriber before it is ended as too slow. @default 10000 */
  readonly maxBufferedEvents?: number;
}

export interface AlertService {
  readonly implementation: grpc.UntypedServiceImplementation;
  /** StreamAlerts calls open right now. */
  subscribers(): number;
}

export function alertService(engine: Engine, log: Logger, options: AlertServiceOptions = {}): AlertService {
  const maxSubscribers = options.maxSubscribers ?? 1000;
  const maxBufferedEvents = options.maxBufferedEvents ?? 10_000;
  let open = 0;
  const streamAlerts: grpc.handleServerStreamingCall<StreamAlertsRequestMsg, AlertEventMsg> = (call) => {
    let subscription: AlertSubscription;
    try {
      if (open >= maxSubscribers) throw new LimitError('concurrent alert stream subscribers', maxSubscribers, open + 1);
      const filter = alertFilter(call.request);
      const after = call.request.tail ? engine.lastSeq() : call.request.afterSequence;
      open++;
      let ended = false;
      const onEnd = (): void => {
        if (ended) return;
        ended = true;
        open--;
      };
      subscription = new AlertSubscription(engine, call, filter, after, { maxBufferedEvents, pageSize: 1000, onEnd });
    } catch (e) {
      call.emit('error', toServiceError(e));
      return;
    }
    // Headers go out at once, so a client knows the subscription is live before the first event.
    call.sendMetadata(new grpc.Metadata());
    subscription.start();
    log('debug', 'alert stream opened', { peer: call.getPeer(), subscribers: open });
  };
  return { implementation: { streamAlerts }, subscribers: () => open };
}
