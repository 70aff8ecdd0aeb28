/**
 * The `delivery:` section of Vigil's config: receivers, the routing tree and
 * retry defaults. `parseDeliveryConfig` validates everything up front (a typo
 * fails `vigil serve` at start, not at 3 a.m. on the first alert).
 */
import { ConfigError } from '../core/index.js';
import { fieldReader, type FieldReader } from './config-fields.js';
import { parseMatcher } from './matchers.js';
import type { NotificationPolicy } from './model.js';
import { receiverTypes } from './receivers/index.js';
import type { Route } from './routing.js';

/** How a failing delivery is retried; per receiver, defaulting to `delivery.retry`. */
export interface RetryPolicy {
  /** Wait before the second attempt. @default 1000 */
  readonly initialBackoffMs: number;
  /** Longest wait between attempts. @default 300000 (5 min) */
  readonly maxBackoffMs: number;
  /** Growth of the wait per failed attempt. @default 2 */
  readonly backoffMultiplier: number;
  /** Random spread of each wait, as a fraction of it (0.2 = ±20%). @default 0.2 */
  readonly jitterRatio: number;
  /** A notification older than this (since its commit) is archived instead of sent. @default 3600000 (1 h) */
  readonly maxAgeMs: number;
}

export interface ReceiverLimits {
  /** Deliveries in flight at once to this receiver. @default 2 */
  readonly maxConcurrent: number;
  /** Attempts started per second; 0 = no limit. @default 0 */
  readonly ratePerSecond: number;
  /** Longest one attempt may take. @default 10000 */
  readonly timeoutMs: number;
  /**
   * Most notifications this receiver may have in the outbox (waiting for
   * their group, or queued as deliveries). Beyond it new firing notifications
   * are archived with reason OUTBOX_FULL instead of queued; resolves still
   * queue up to twice the limit (docs/delivery.md, "When the outbox is full").
   * @default 100000, or `delivery.maxOutboxEntries`
   */
  readonly maxOutboxEntries: number;
}

export interface ReceiverConfig {
  readonly name: string;
  readonly type: string;
  readonly limits: ReceiverLimits;
  readonly retry: RetryPolicy;
  /** Type-specific options, validated by the receiver type. */
  readonly options: unknown;
}

export interface DeliveryConfig {
  /** Each with its limits, `maxOutboxEntries` defaulting to `delivery.maxOutboxEntries` (100000). */
  readonly receivers: readonly ReceiverConfig[];
  /** The root (default) route. */
  readonly route: Route;
}

export const defaultRetryPolicy: RetryPolicy = { initialBackoffMs: 1000, maxBackoffMs: 300_000, backoffMultiplier: 2, jitterRatio: 0.2, maxAgeMs: 3_600_000 };
export const defaultLimits: ReceiverLimits = { maxConcurrent: 2, ratePerSecond: 0, timeoutMs: 10_000, maxOutboxEntries: 100_000 };
/** Alertmanager's defaults. */
export const defaultPolicy: NotificationPolicy = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 14_400_000, sendResolved: true };

/**
 * Reads the `delivery:` mapping (parsed YAML). `${NAME}` in any string is
 * replaced by environment variable NAME. An absent section means no receivers.
 */
export function parseDeliveryConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env, where = 'delivery'): DeliveryConfig {
  if (raw === undefined || raw === null) return { receivers: [], route: emptyRoot() };
  const top = fieldReader(raw, where, env);
  const retryFields = top.object('retry');
  const retry = readRetry(retryFields, defaultRetryPolicy);
  retryFields?.done();
  const maxOutboxEntries = positive(top, 'maxOutboxEntries', defaultLimits.maxOutboxEntries);
  const receivers = top.list('receivers').map((r) => readReceiver(r, retry, maxOutboxEntries));
  const names = new Set<string>();
  for (const r of receivers) {
    if (names.has(r.name)) throw new ConfigError(`${where}.receivers: receiver "${r.name}" is defined twice`);
    names.add(r.name);
  }
  const routeFields = top.object('route');
  if (!routeFields && receivers.length > 0) throw new ConfigError(`${where}.route: is required when receivers are configured (the root route names the default receiver)`);
  const route = routeFields ? readRoute(routeFields, 'root', undefined, names) : emptyRoot();
  top.done();
  return { receivers, route };
}

function emptyRoot(): Route {
  return { id: 'root', receiver: '', matchers: [], groupBy: [], policy: defaultPolicy, continue: false, routes: [] };
}

function readRetry(fields: FieldReader | undefined, base: RetryPolicy): RetryPolicy {
  if (!fields) return base;
  return {
    initialBackoffMs: fields.number('initialBackoffMs', base.initialBackoffMs),
    maxBackoffMs: fields.number('maxBackoffMs', base.maxBackoffMs),
    backoffMultiplier: fields.number('backoffMultiplier', base.backoffMultiplier),
    jitterRatio: fields.number('jitterRatio', base.jitterRatio),
    maxAgeMs: fields.number('maxAgeMs', base.maxAgeMs),
  };
}

function positive(fields: FieldReader, key: string, fallback: number): number {
  const v = fields.number(key, fallback);
  if (!Number.isInteger(v) || v < 1) throw new ConfigError(`${fields.where}.${key}: must be a whole number of at least 1`);
  return v;
}

function readReceiver(fields: FieldReader, retryBase: RetryPolicy, maxOutboxEntries: number): ReceiverConfig {
  const name = fields.string('name');
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new ConfigError(`${fields.where}.name: "${name}" may only hold letters, digits, '_', '.' and '-'`);
  const type = fields.string('type');
  const kind = receiverTypes[type];
  if (!kind) throw new ConfigError(`${fields.where}.type: unknown receiver type "${type}" (known: ${Object.keys(receiverTypes).join(', ')})`);
  const limits: ReceiverLimits = {
    maxConcurrent: Math.max(1, fields.number('maxConcurrent', defaultLimits.maxConcurrent)),
    ratePerSecond: fields.number('ratePerSecond', defaultLimits.ratePerSecond),
    timeoutMs: fields.number('timeoutMs', defaultLimits.timeoutMs),
    maxOutboxEntries: positive(fields, 'maxOutboxEntries', maxOutboxEntries),
  };
  const retry = readRetry(fields, retryBase);
  const options = kind.parse(fields);
  fields.done();
  return { name, type, limits, retry, options };
}

function readRoute(fields: FieldReader, id: string, parent: Route | undefined, receivers: ReadonlySet<string>): Route {
  const receiver = fields.optString('receiver') ?? parent?.receiver;
  if (!receiver) throw new ConfigError(`${fields.where}.receiver: is required on the root route`);
  if (!receivers.has(receiver)) throw new ConfigError(`${fields.where}.receiver: no receiver named "${receiver}"`);
  const base = parent?.policy ?? defaultPolicy;
  const policy: NotificationPolicy = {
    groupWaitMs: fields.number('groupWaitMs', base.groupWaitMs),
    groupIntervalMs: fields.number('groupIntervalMs', base.groupIntervalMs),
    repeatIntervalMs: fields.number('repeatIntervalMs', base.repeatIntervalMs),
    sendResolved: fields.boolean('sendResolved', base.sendResolved),
  };
  const matchers = fields.strings('matchers').map((m, i) => parseMatcher(m, `${fields.where}.matchers[${i}]`));
  if (parent === undefined && matchers.length > 0) throw new ConfigError(`${fields.where}.matchers: the root route matches everything and takes no matchers`);
  const groupBy = 'groupBy' in fields.raw ? fields.strings('groupBy') : (parent?.groupBy ?? []);
  const cont = fields.boolean('continue', false);
  const self: Route = { id, receiver, matchers, groupBy, policy, continue: cont, routes: [] };
  const routes = fields.list('routes').map((child, i) => readRoute(child, `${id}/${i}`, self, receivers));
  fields.done();
  return { ...self, routes };
}
