/**
 * The routing tree: the root route is the default; a notification descends
 * into the first child whose matchers match (and further siblings when that
 * child says `continue`); the deepest matching routes decide the receiver and
 * the notification policy. Children inherit every setting they do not set.
 */
import type { Tags } from '../core/index.js';
import { matchesAll, type Matcher } from './matchers.js';
import type { NotificationPolicy } from './model.js';

export interface Route {
  /** Path in the tree, e.g. `root/0/1`; frozen into outbox records for inspection. */
  readonly id: string;
  readonly receiver: string;
  readonly matchers: readonly Matcher[];
  /** Labels that split notifications into groups; `['...']` groups by every label. */
  readonly groupBy: readonly string[];
  readonly policy: NotificationPolicy;
  /** Keep matching later siblings after this route matched. */
  readonly continue: boolean;
  readonly routes: readonly Route[];
}

/** Where one notification goes: receiver, group and policy. */
export interface RouteMatch {
  readonly route: string;
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: Tags;
  readonly policy: NotificationPolicy;
}

/** Every route that takes these labels, at most one match per receiver. */
export function resolveRoutes(root: Route, labels: Tags): RouteMatch[] {
  const found = match(root, labels);
  const seen = new Set<string>();
  const out: RouteMatch[] = [];
  for (const route of found) {
    if (seen.has(route.receiver)) continue;
    seen.add(route.receiver);
    const groupLabels = groupLabelsOf(route.groupBy, labels);
    out.push({ route: route.id, receiver: route.receiver, groupKey: groupKeyOf(route.id, groupLabels), groupLabels, policy: route.policy });
  }
  return out;
}

function match(route: Route, labels: Tags): Route[] {
  if (!matchesAll(route.matchers, labels)) return [];
  const out: Route[] = [];
  for (const child of route.routes) {
    const sub = match(child, labels);
    if (sub.length === 0) continue;
    out.push(...sub);
    if (!child.continue) break;
  }
  return out.length > 0 ? out : [route];
}

function groupLabelsOf(groupBy: readonly string[], labels: Tags): Tags {
  if (groupBy.includes('...')) return { ...labels };
  const out: Record<string, string> = {};
  for (const name of groupBy) if (labels[name] !== undefined) out[name] = labels[name];
  return out;
}

/** Alertmanager-style group key, `<route>:{a="1",b="2"}`; readable and stable. */
export function groupKeyOf(routeId: string, groupLabels: Tags): string {
  const pairs = Object.keys(groupLabels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(groupLabels[k])}`);
  return `${routeId}:{${pairs.join(',')}}`;
}
