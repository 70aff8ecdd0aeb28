/** The delivery and dead-letter half of AdminService: what was sent, what is stuck, what was given up. */
import type * as grpc from '@grpc/grpc-js';
import { ArgumentError } from '../core/index.js';
import type { Delivery, DeliveryListing } from '../deliver/index.js';
import type { Engine } from '../engine.js';
import { unary, type Logger } from './handlers.js';

function toMsg(d: DeliveryListing): Record<string, unknown> {
  return {
    id: d.id,
    receiver: d.receiver,
    state: d.state,
    key: d.key,
    attempts: d.attempts,
    createdAtMs: d.createdAt,
    nextAttemptAtMs: d.nextAttemptAt ?? 0,
    lastError: d.lastError ? `${d.lastError.code}: ${d.lastError.message}` : '',
    reason: d.reason ? `${d.reason.code}: ${d.reason.message}` : '',
    notifications: d.notifications.length,
  };
}

function limitOf(limit: number): number {
  if (limit > 1000) throw new ArgumentError('limit', 'at most 1000');
  return limit || 100;
}

export function deliveryAdmin(engine: Engine, delivery: Delivery | undefined, log: Logger): grpc.UntypedServiceImplementation {
  const need = (): Delivery => {
    if (!delivery) throw new ArgumentError('delivery', 'this server runs without the delivery stage');
    return delivery;
  };
  return {
    listDeliveries: unary(log, 'ListDeliveries', (req: { archived: boolean; limit: number }) => ({
      deliveries: need().list({ archived: req.archived, limit: limitOf(req.limit) }).map(toMsg),
    })),
    retryDelivery: unary(log, 'RetryDelivery', async (req: { id: string }) => toMsg(await need().retry(req.id))),
    getDeliveryStats: unary(log, 'GetDeliveryStats', () => ({
      receivers: need()
        .stats()
        .map((s) => ({ ...s, lastError: s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : '' })),
    })),
    listDeadLetters: unary(log, 'ListDeadLetters', (req: { sourcePrefix: string; limit: number }) => {
      const limit = limitOf(req.limit);
      const out: Array<Record<string, unknown>> = [];
      for (const { value } of engine.store.deadLetters.getRange({ reverse: true })) {
        if (out.length >= limit) break;
        if (!value.source.startsWith(req.sourcePrefix)) continue;
        out.push({ source: value.source, offset: value.offset ?? -1, code: value.code, reason: value.reason, payload: value.payload, atMs: value.at });
      }
      return { deadLetters: out };
    }),
  };
}
