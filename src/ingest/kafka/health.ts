/**
 * The Kafka source's health as the consumer's events report it: healthy
 * once it has joined its group, unhealthy while connecting, after losing a
 * broker or crashing, until the next successful join.
 */
import type { SourceHealth } from '../source.js';

export type KafkaState = 'idle' | 'connecting' | 'joining' | 'consuming' | 'rebalancing' | 'disconnected' | 'crashed' | 'stopped';

export class HealthState {
  private stateNow: KafkaState = 'idle';
  private why: string | undefined = 'not started';

  get state(): KafkaState {
    return this.stateNow;
  }

  connecting(): void {
    this.set('connecting', 'connecting to the Kafka brokers');
  }

  connected(): void {
    if (this.stateNow === 'connecting' || this.stateNow === 'disconnected') this.set('joining', 'joining the consumer group');
  }

  joined(): void {
    this.set('consuming', undefined);
  }

  rebalancing(): void {
    // A rebalance is routine; the source stays healthy unless it does not re-join.
    if (this.stateNow === 'consuming') this.stateNow = 'rebalancing';
  }

  disconnected(): void {
    if (this.stateNow !== 'stopped') this.set('disconnected', 'lost the connection to the Kafka brokers');
  }

  crashed(error: unknown, restarting: boolean): void {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.set('crashed', `the Kafka consumer crashed (${message}); ${restarting ? 'reconnecting with backoff' : 'not restarting'}`);
  }

  stopped(): void {
    this.set('stopped', 'stopped');
  }

  /** Paused fetching (back-pressure) is not a fault: the source is healthy and catching up. */
  health(lag: Record<string, number>): SourceHealth {
    const healthy = this.stateNow === 'consuming' || this.stateNow === 'rebalancing';
    return { healthy, ...(!healthy && this.why !== undefined ? { reason: this.why } : {}), lag };
  }

  private set(state: KafkaState, why: string | undefined): void {
    this.stateNow = state;
    this.why = why;
  }
}
