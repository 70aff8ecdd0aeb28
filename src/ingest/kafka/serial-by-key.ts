/**
 * Runs work one at a time per key. A partition's batches must reach the
 * engine in offset order, and the stored-offset check before each batch must
 * see the previous batch committed, even across a consumer restart where an
 * old batch may still be in flight when the new consumer fetches again.
 */
export class SerialByKey {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget idle keys so revoked partitions do not keep entries forever.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /** Resolves once every queued run has settled. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
