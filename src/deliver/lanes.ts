/**
 * Lanes keep order where it matters: deliveries of one lane (a group for
 * batching receivers, one alert or incident otherwise) go out one at a
 * time, oldest first, so a resolve never overtakes its trigger.
 */
import type { DeliveryRecord } from './model.js';

/** Deliveries by lane, each lane oldest first; the head of each lane is the only one that may be sent. */
export function lanesOf(deliveries: Iterable<DeliveryRecord>): DeliveryRecord[][] {
  const lanes = new Map<string, DeliveryRecord[]>();
  for (const d of deliveries) {
    let lane = lanes.get(d.lane);
    if (!lane) lanes.set(d.lane, (lane = []));
    lane.push(d);
  }
  for (const lane of lanes.values()) lane.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || (a.id < b.id ? -1 : 1));
  return [...lanes.values()];
}
