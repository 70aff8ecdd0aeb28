/**
 * Vigil's spans: one per ingest batch (with a child span per phase:
 * validate, evaluate, commit) and one per delivery attempt. Tracing is off
 * unless startTelemetry registered a span processor (OTLP configured); off,
 * a batch costs a few `performance.now()` calls and no span objects at all.
 * docs/observability.md lists every span and attribute.
 */
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Link, type Span, type Tracer } from '@opentelemetry/api';
import { instruments } from './instruments.js';

/** Alert ids put on one span at most; the count is always exact. */
export const MAX_ALERT_IDS = 32;

let tracer: Tracer | undefined;

/** Turns spans on (a tracer provider with a span processor is registered globally) or off. */
export function useGlobalTracerProvider(on: boolean): void {
  tracer = on ? trace.getTracer('vigil') : undefined;
}

export function tracingEnabled(): boolean {
  return tracer !== undefined;
}

/** An alert transition, as far as a span cares. */
export interface TransitionLike {
  readonly alert: string;
}

/** Phase marks of one ingest batch, called by the engine in order; each phase runs from the previous mark. */
export interface BatchTrace {
  /** Decoding and validation are done. */
  validated(counts: { readonly points: number; readonly events: number; readonly rejected: number }): void;
  /** Evaluation and correlation are done: `late` items, and the transitions of each stage. */
  evaluated(late: number, ...transitions: ReadonlyArray<readonly TransitionLike[]>): void;
  /** The batch's effects are durable. */
  committed(): void;
}

export interface BatchAttributes {
  /** The source the batch came from (`grpc`, `kafka:<topic>/<partition>`, …). */
  readonly source: string;
}

/**
 * Runs one ingest batch inside a `vigil.ingest_batch` span (when tracing is
 * on) and records the batch and evaluation time metrics (always). A batch
 * that returns without reaching `committed()` (a redelivered offset) is
 * marked `skipped`; one that throws, `error`.
 */
export async function traceBatch<T>(attrs: BatchAttributes, fn: (t: BatchTrace) => Promise<T>): Promise<T> {
  const span = tracer?.startSpan('vigil.ingest_batch', { kind: SpanKind.INTERNAL, attributes: { 'vigil.source': attrs.source } });
  const t = new BatchTimer(attrs.source, span?.isRecording() ? span : undefined);
  try {
    const out = t.ctx ? await context.with(t.ctx, fn, undefined, t) : await fn(t);
    t.end(undefined);
    return out;
  } catch (e) {
    t.end(e);
    throw e;
  } finally {
    // A span the sampler dropped is never recording but is still ended, as the API expects.
    if (span && !t.span) span.end();
  }
}

class BatchTimer implements BatchTrace {
  private readonly started = performance.now();
  private mark = this.started;
  /** Wall-clock ms at performance time 0, taken once so the phase spans of a batch line up exactly. */
  private readonly epochOffset = Date.now() - this.started;
  private done = false;
  private readonly metricAttrs: Attributes;
  readonly ctx: Context | undefined;

  constructor(
    private readonly source: string,
    readonly span: Span | undefined,
  ) {
    this.metricAttrs = { source };
    this.ctx = span ? trace.setSpan(context.active(), span) : undefined;
  }

  validated(counts: { readonly points: number; readonly events: number; readonly rejected: number }): void {
    this.phase('vigil.validate');
    if (counts.events > 0) instruments.eventsIngested.add(counts.events, this.metricAttrs);
    this.span?.setAttributes({ 'vigil.points': counts.points, 'vigil.events': counts.events, 'vigil.rejected': counts.rejected });
  }

  evaluated(late: number, ...transitions: ReadonlyArray<readonly TransitionLike[]>): void {
    instruments.evaluateDuration.record(this.phase('vigil.evaluate'), this.metricAttrs);
    if (!this.span) return;
    let count = 0;
    const ids: string[] = [];
    for (const list of transitions) {
      count += list.length;
      for (let i = 0; i < list.length && ids.length < MAX_ALERT_IDS; i++) ids.push(list[i]!.alert);
    }
    this.span.setAttributes({ 'vigil.late': late, 'vigil.transitions': count });
    if (ids.length > 0) this.span.setAttribute('vigil.alert_ids', ids);
  }

  committed(): void {
    const ms = this.phase('vigil.commit');
    this.done = true;
    this.span?.setAttribute('vigil.commit_ms', round(ms));
  }

  end(error: unknown): void {
    const total = performance.now() - this.started;
    if (this.done) instruments.batchDuration.record(total, this.metricAttrs);
    const span = this.span;
    if (!span) return;
    if (error !== undefined) {
      span.setAttribute('vigil.outcome', 'error');
      recordError(span, error);
    } else span.setAttribute('vigil.outcome', this.done ? 'committed' : 'skipped');
    span.end();
  }

  /** Ends the phase that began at the previous mark; returns its length in ms. */
  private phase(name: string): number {
    const now = performance.now();
    const ms = now - this.mark;
    // Phase spans are made after the fact from the marks: the engine's code stays a straight line.
    if (this.span) tracer?.startSpan(name, { startTime: this.epochOffset + this.mark }, this.ctx).end(this.epochOffset + now);
    this.mark = now;
    return ms;
  }
}

/** One delivery attempt, as the dispatcher knows it. */
export interface DeliveryAttempt {
  readonly receiver: string;
  /** The delivery id, `<receiver>:<idempotency key>`. */
  readonly delivery: string;
  /** 1 on the first try. */
  readonly attempt: number;
  /** What the delivery carries; their subjects (alert or incident ids) go on the span. */
  readonly notifications?: readonly { readonly subject: string }[];
  /** W3C traceparent of the batch that planned the delivery (see `currentTraceparent`), linked from the attempt's span. */
  readonly traceparent?: string;
}

/**
 * Runs one delivery attempt inside a `vigil.delivery_attempt` span when
 * tracing is on; the span records the outcome and, on failure, the error's
 * code and whether it is retriable. Off, it just calls `send`.
 */
export async function traceDelivery<T>(attempt: DeliveryAttempt, send: () => Promise<T>): Promise<T> {
  if (!tracer) return send();
  const attributes: Attributes = { 'vigil.receiver': attempt.receiver, 'vigil.delivery': attempt.delivery, 'vigil.attempt': attempt.attempt };
  const subjects = attempt.notifications?.slice(0, MAX_ALERT_IDS).map((n) => n.subject);
  if (subjects && subjects.length > 0) attributes['vigil.alert_ids'] = subjects;
  if (attempt.notifications) attributes['vigil.notifications'] = attempt.notifications.length;
  const link = attempt.traceparent ? linkOf(attempt.traceparent) : undefined;
  const span = tracer.startSpan('vigil.delivery_attempt', { kind: SpanKind.CLIENT, attributes, ...(link ? { links: [link] } : {}) });
  try {
    const out = await context.with(trace.setSpan(context.active(), span), send);
    span.setAttribute('vigil.outcome', 'sent');
    return out;
  } catch (e) {
    span.setAttribute('vigil.outcome', 'failed');
    recordError(span, e);
    throw e;
  } finally {
    span.end();
  }
}

/** The W3C traceparent of the active span, to store with work that continues later (an outbox record); undefined when tracing is off. */
export function currentTraceparent(): string | undefined {
  if (!tracer) return undefined;
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || !trace.isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-${sc.traceFlags.toString(16).padStart(2, '0')}`;
}

function linkOf(traceparent: string): Link | undefined {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(traceparent);
  if (!m) return undefined;
  const spanContext = { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true };
  return trace.isSpanContextValid(spanContext) ? { context: spanContext } : undefined;
}

function recordError(span: Span, error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  span.recordException(e);
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
  const fields = error as { code?: unknown; deliveryCode?: unknown; retriable?: unknown };
  const code = fields.deliveryCode ?? fields.code;
  if (typeof code === 'string' || typeof code === 'number') span.setAttribute('vigil.error_code', String(code));
  if (typeof fields.retriable === 'boolean') span.setAttribute('vigil.retriable', fields.retriable);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
