/**
 * Correlate: decides who hears about each alert transition — one alert per
 * cluster, nothing from clusters under upgrade or maintenance, inhibition and
 * silences, one incident per signature across clusters — explainably.
 *
 * Contract with the engine (docs/correlation.md has the semantics), once per
 * input batch, inside the batch's single LMDB transaction:
 *
 *   const correlator = new Correlator({ reader, rules, nextSeq, ...options });
 *   correlator.restore(store.allDeadlines());                 // at start and after a failed commit
 *   const fx = new CorrelateEffects();
 *   correlator.process({ alertEvents: evalFx.events, lifecycle: events, commands }, fx);
 *   correlator.advance(watermark, fx);                        // correlate's own deadlines
 *   // commit in the same transaction: fx.records → actors table (null deletes),
 *   // fx.deadlinesAdded/Removed → deadlines table, fx.raised → alert event log,
 *   // delivery.plan(fx.notifications) → outbox; then:
 *   correlator.committed();
 *
 * `fx.decisions` says, per input alert event, notify / suppressed (with the
 * reason) / folded / none; `fx.commandResults` answers operator commands.
 */
export { Correlator, type CorrelatorOptions, type CorrelateInput } from './correlator.js';
export { CorrelateEffects, type CommandResult } from './effects.js';
export { validateCommand, type OperatorCommand, type SilenceSpec } from './commands.js';
export { correlationOf, type RuleCorrelation, type RuleLookup } from './rule-meta.js';
export type { InhibitionRuleSpec } from './inhibition.js';
export { silenceInForce, silenceEnd } from './silences.js';
export { LIFECYCLE_EVENT_TYPES } from './lifecycle.js';
export { ownsActorId, CORRELATE_PREFIXES, UPGRADE_TIMEOUT_RULE, UNREACHABLE_RULE } from './ids.js';
export { ClusterNotFoundError } from './clusters.js';
export { SilenceNotFoundError } from './silence-host.js';
export { IncidentNotFoundError } from './incidents.js';
export { describe as describeSuppression, type Explanation } from './explain.js';
export { parseMatcher, formatMatcher } from './matcher-text.js';
export { tableReader, type RecordTable } from './table-reader.js';
export * from './model.js';
