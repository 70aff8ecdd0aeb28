/** Evaluate: rule hosts that turn routed points and events into alert-instance transitions, in event time. */
export { Evaluator, type EvaluatorOptions, type EvaluatorState } from './evaluator.js';
export { BatchEffects } from './batch-effects.js';
export { DeadlineQueue, type Deadline } from './deadline-queue.js';
export { groupOf, alertActorId, ruleOfActorId, type Group } from './group-key.js';
export type { ActorLoader, MetaReader } from './host.js';
export { timingOf } from './alert-driver.js';
