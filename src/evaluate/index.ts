/** Evaluate: rule hosts that turn routed points into alert-instance transitions, in event time. */
export { Evaluator, type EvaluatorOptions, type EvaluatorState } from './evaluator.js';
export { BatchEffects } from './batch-effects.js';
export { DeadlineQueue, type Deadline } from './deadline-queue.js';
export { groupOf, alertActorId, ruleOfActorId, type Group } from './group-key.js';
export type { ActorLoader } from './rule-host.js';
