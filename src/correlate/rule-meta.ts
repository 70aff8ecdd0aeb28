/** The per-rule metadata correlate needs: the fields of the language's MetaIR that say how alerts correlate. */
import type { Tags } from '../core/index.js';
import type { CompiledMatcher, MetaIR, TemplateIR } from '../language/index.js';

export interface RuleCorrelation {
  /** The group label naming the cluster: consolidation, windows and rule inhibition apply per its value. */
  readonly scope?: string;
  /** Alerts with equal rendered signatures form one incident across clusters. */
  readonly signature?: Pick<TemplateIR, 'render'>;
  /** While an alert of this rule fires, other alerts of the same scope value matching these are inhibited (all when empty). */
  readonly inhibit?: { readonly matchers: readonly Pick<CompiledMatcher, 'label' | 'test'>[] };
  /** The rule's static labels, shown on a consolidated alert next to the scope label. */
  readonly labels?: Tags;
}

/** Looks a rule up by name; undefined for an unknown (e.g. deleted) rule, which correlates as one without metadata. */
export type RuleLookup = (rule: string) => RuleCorrelation | undefined;

export function correlationOf(meta: MetaIR): RuleCorrelation {
  return {
    labels: meta.labels,
    ...(meta.scope !== undefined ? { scope: meta.scope } : {}),
    ...(meta.signature ? { signature: meta.signature } : {}),
    ...(meta.inhibit ? { inhibit: meta.inhibit } : {}),
  };
}
