/**
 * Consumer lag per partition: the head of the partition (high watermark)
 * minus the next offset committed with state. Heads come from fetched
 * batches and from a periodic admin read (paused or idle partitions fetch
 * nothing); positions come from the engine's commits.
 */

interface PartitionLag {
  high?: number;
  next?: number;
}

export class LagTracker {
  private readonly parts = new Map<string, PartitionLag>();

  /** The partition's head as seen by a fetch or an admin read. */
  head(source: string, highWatermark: number): void {
    const p = this.entry(source);
    p.high = Math.max(p.high ?? 0, highWatermark);
  }

  /** The engine committed `source` up to `nextOffset` (or it was already there). */
  position(source: string, nextOffset: number): void {
    const p = this.entry(source);
    p.next = Math.max(p.next ?? 0, nextOffset);
  }

  /** Stop reporting partitions this instance no longer owns. */
  retain(sources: ReadonlySet<string>): void {
    for (const s of [...this.parts.keys()]) if (!sources.has(s)) this.parts.delete(s);
  }

  /** Messages behind the head per partition, for the partitions whose head is known. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [source, { high, next }] of this.parts) {
      if (high === undefined) continue;
      out[source] = Math.max(0, high - (next ?? 0));
    }
    return out;
  }

  private entry(source: string): PartitionLag {
    let p = this.parts.get(source);
    if (!p) {
      p = {};
      this.parts.set(source, p);
    }
    return p;
  }
}
