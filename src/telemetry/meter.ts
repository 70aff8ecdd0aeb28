/**
 * Vigil's meter. The OpenTelemetry metrics API has no proxy provider: an
 * instrument made before the SDK registers its provider stays a no-op for
 * good. Stages make their instruments when their module loads, long before
 * `vigil serve` starts the SDK, so every instrument is made through this
 * meter, which binds to the current global provider on first use after
 * `useGlobalMeterProvider()` (called by startTelemetry and by tests).
 */
import {
  metrics,
  type BatchObservableCallback,
  type BatchObservableResult,
  type Context,
  type Counter,
  type Gauge,
  type Histogram,
  type Meter,
  type MetricAttributes,
  type MetricOptions,
  type Observable,
  type ObservableCallback,
  type ObservableCounter,
  type ObservableGauge,
  type ObservableResult,
  type ObservableUpDownCounter,
  type UpDownCounter,
} from '@opentelemetry/api';

const METER_NAME = 'vigil';

let real: Meter = metrics.getMeter(METER_NAME);
/** Bumped on every rebind; a synchronous instrument re-makes itself when its generation is behind. */
let generation = 0;
const observables = new Set<LateObservable>();
interface BatchEntry {
  readonly observables: readonly Observable[];
  /** The wrapper registered on `on`, the meter it was bound to last. */
  bound?: BatchObservableCallback;
  on?: Meter;
}
const batchCallbacks = new Map<BatchObservableCallback, BatchEntry>();

/** Points every Vigil instrument at the current global meter provider (after the SDK registered or was disabled). */
export function useGlobalMeterProvider(): void {
  for (const entry of batchCallbacks.values()) unbindBatch(entry);
  real = metrics.getMeter(METER_NAME);
  generation++;
  for (const o of observables) o.bind(real);
  for (const [callback, entry] of batchCallbacks) bindBatch(callback, entry);
}

class LateSync<T> {
  private gen = -1;
  private inst: T | undefined;
  constructor(private readonly make: (m: Meter) => T) {}
  get(): T {
    if (this.gen !== generation) {
      this.inst = this.make(real);
      this.gen = generation;
    }
    return this.inst!;
  }
}

type AnyObservable = ObservableGauge | ObservableCounter | ObservableUpDownCounter;

/** An observable bound eagerly (collection needs its callbacks registered), with one dispatching callback. */
class LateObservable implements Observable {
  private readonly callbacks = new Set<ObservableCallback>();
  current: AnyObservable;
  constructor(private readonly make: (m: Meter) => AnyObservable) {
    this.current = make(real);
    this.current.addCallback(this.dispatch);
    observables.add(this);
  }
  bind(m: Meter): void {
    this.current.removeCallback(this.dispatch);
    this.current = this.make(m);
    this.current.addCallback(this.dispatch);
  }
  addCallback(callback: ObservableCallback): void {
    this.callbacks.add(callback);
  }
  removeCallback(callback: ObservableCallback): void {
    this.callbacks.delete(callback);
  }
  private readonly dispatch = async (result: ObservableResult): Promise<void> => {
    await Promise.all([...this.callbacks].map((cb) => cb(result)));
  };
}

function currentOf(o: Observable): Observable {
  return o instanceof LateObservable ? o.current : o;
}

function bindBatch(callback: BatchObservableCallback, entry: BatchEntry): void {
  const bound: BatchObservableCallback = (result) =>
    callback({ observe: (metric, value, attributes) => result.observe(currentOf(metric), value, attributes) } satisfies BatchObservableResult);
  entry.bound = bound;
  entry.on = real;
  real.addBatchObservableCallback(bound, entry.observables.map(currentOf));
}

function unbindBatch(entry: BatchEntry): void {
  if (entry.bound && entry.on) entry.on.removeBatchObservableCallback(entry.bound, entry.observables.map(currentOf));
}

/** The meter every Vigil stage makes its instruments with (see the file comment). */
export const vigilMeter: Meter = {
  createCounter<A extends MetricAttributes>(name: string, options?: MetricOptions): Counter<A> {
    const late = new LateSync((m) => m.createCounter<A>(name, options));
    return { add: (value: number, attributes?: A, context?: Context) => late.get().add(value, attributes, context) };
  },
  createUpDownCounter<A extends MetricAttributes>(name: string, options?: MetricOptions): UpDownCounter<A> {
    const late = new LateSync((m) => m.createUpDownCounter<A>(name, options));
    return { add: (value: number, attributes?: A, context?: Context) => late.get().add(value, attributes, context) };
  },
  createHistogram<A extends MetricAttributes>(name: string, options?: MetricOptions): Histogram<A> {
    const late = new LateSync((m) => m.createHistogram<A>(name, options));
    return { record: (value: number, attributes?: A, context?: Context) => late.get().record(value, attributes, context) };
  },
  createGauge<A extends MetricAttributes>(name: string, options?: MetricOptions): Gauge<A> {
    const late = new LateSync((m) => m.createGauge<A>(name, options));
    return { record: (value: number, attributes?: A, context?: Context) => late.get().record(value, attributes, context) };
  },
  createObservableGauge<A extends MetricAttributes>(name: string, options?: MetricOptions): ObservableGauge<A> {
    return new LateObservable((m) => m.createObservableGauge(name, options)) as ObservableGauge<A>;
  },
  createObservableCounter<A extends MetricAttributes>(name: string, options?: MetricOptions): ObservableCounter<A> {
    return new LateObservable((m) => m.createObservableCounter(name, options)) as ObservableCounter<A>;
  },
  createObservableUpDownCounter<A extends MetricAttributes>(name: string, options?: MetricOptions): ObservableUpDownCounter<A> {
    return new LateObservable((m) => m.createObservableUpDownCounter(name, options)) as ObservableUpDownCounter<A>;
  },
  addBatchObservableCallback<A extends MetricAttributes>(callback: BatchObservableCallback<A>, observed: Observable<A>[]): void {
    const key = callback as BatchObservableCallback;
    if (batchCallbacks.has(key)) return;
    const entry: BatchEntry = { observables: observed as Observable[] };
    batchCallbacks.set(key, entry);
    bindBatch(key, entry);
  },
  removeBatchObservableCallback<A extends MetricAttributes>(callback: BatchObservableCallback<A>): void {
    const key = callback as BatchObservableCallback;
    const entry = batchCallbacks.get(key);
    if (!entry) return;
    unbindBatch(entry);
    batchCallbacks.delete(key);
  },
};
