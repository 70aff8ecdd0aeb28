/**
 * A Vigil instance in its own process for the SIGKILL test: opens the data
 * dir, applies the test rules, consumes the topic, and prints a line after
 * every committed batch. Usage: worker.ts <dataDir> <topic> <groupId>
 */
import { startInstance } from './harness.js';

const [dataDir, topic, groupId] = process.argv.slice(2);
if (!dataDir || !topic || !groupId) throw new Error('usage: worker.ts <dataDir> <topic> <groupId>');

const instance = await startInstance(dataDir, topic, groupId);
const original = instance.engine.ingestBatch.bind(instance.engine);
// Report each durable batch so the test can kill the process while later batches are in flight.
instance.engine.ingestBatch = async (batch) => {
  const result = await original(batch);
  process.stdout.write(`${JSON.stringify({ committed: batch.source, nextOffset: batch.nextOffset })}\n`);
  return result;
};
process.on('SIGTERM', () => {
  void instance.stop().then(() => process.exit(0));
});
