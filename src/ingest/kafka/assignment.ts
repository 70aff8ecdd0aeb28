/**
 * Which partitions this instance owns, per group generation. kafkajs has no
 * revoke callback and will commit offsets for partitions it no longer owns
 * (kafkajs issue #1046), so every batch captures the generation it started
 * in, and its Kafka commit goes out only if that generation is still current
 * and still owns the partition. Stored LMDB offsets stay the truth either way.
 */

export type MemberAssignment = Readonly<Record<string, readonly number[]>>;

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface JoinChange {
  readonly generation: number;
  /** Partitions assigned now: seek every one of them to its stored offset. */
  readonly assigned: readonly TopicPartition[];
  /** Partitions this instance held before the join and no longer owns. */
  readonly revoked: readonly TopicPartition[];
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class AssignmentTracker {
  private gen = 0;
  private owned = new Map<string, TopicPartition>();
  /** False from a rebalance until the next join: nothing may be committed meanwhile. */
  private settled = false;

  /** Local generation counter: bumps on every join and every rebalance notice. */
  get generation(): number {
    return this.gen;
  }

  /** The consumer joined (or re-joined) the group with this assignment. */
  join(assignment: MemberAssignment): JoinChange {
    const next = new Map<string, TopicPartition>();
    for (const [topic, partitions] of Object.entries(assignment)) for (const partition of partitions) next.set(key(topic, partition), { topic, partition });
    const revoked = [...this.owned].filter(([k]) => !next.has(k)).map(([, tp]) => tp);
    this.owned = next;
    this.gen++;
    this.settled = true;
    return { generation: this.gen, assigned: [...next.values()], revoked };
  }

  /** The group is rebalancing (or the consumer crashed, stopped, lost its broker): ownership is unknown until the next join. */
  unsettle(): void {
    if (!this.settled && this.owned.size === 0) return;
    this.gen++;
    this.settled = false;
  }

  /** Forget everything: the consumer left the group. Returns what was owned. */
  clear(): TopicPartition[] {
    const was = [...this.owned.values()];
    this.owned = new Map();
    this.gen++;
    this.settled = false;
    return was;
  }

  /** May a batch started in `generation` commit `topic/partition` to Kafka? */
  mayCommit(topic: string, partition: number, generation: number): boolean {
    return this.settled && generation === this.gen && this.owned.has(key(topic, partition));
  }

  owns(topic: string, partition: number): boolean {
    return this.owned.has(key(topic, partition));
  }

  assigned(): TopicPartition[] {
    return [...this.owned.values()];
  }

  /** The assignment grouped by topic, the shape kafkajs `pause`/`resume` take. */
  byTopic(): Array<{ topic: string; partitions: number[] }> {
    const out = new Map<string, number[]>();
    for (const { topic, partition } of this.owned.values()) {
      const list = out.get(topic) ?? [];
      list.push(partition);
      out.set(topic, list);
    }
    return [...out].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
  }
}
