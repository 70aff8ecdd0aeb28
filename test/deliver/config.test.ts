/** The `delivery:` config section: validation with exact keys, secrets from the environment, the routing tree. */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isVigilError } from '../../src/core/index.js';
import { parseDeliveryConfig } from '../../src/deliver/index.js';

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (isVigilError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

const hook = { name: 'hook', type: 'webhook', url: 'http://h' };

describe('delivery config', () => {
  it('means no receivers and no routes when absent', () => {
    expect(parseDeliveryConfig(undefined).receivers).toEqual([]);
  });

  it('replaces ${NAME} with the environment variable', () => {
    const c = parseDeliveryConfig({ receivers: [{ name: 's', type: 'slack', url: '${SLACK_URL}' }], route: { receiver: 's' } }, { SLACK_URL: 'https://hooks.slack.example/T/B/X' });
    expect((c.receivers[0]!.options as { url: string }).url).toBe('https://hooks.slack.example/T/B/X');
  });

  it('names a missing environment variable without printing any secret', () => {
    const e = errorOf(() => parseDeliveryConfig({ receivers: [{ name: 'p', type: 'pagerduty', routingKey: '${PD_KEY}' }], route: { receiver: 'p' } }, {}));
    expect(e).toEqual({ code: ErrorCodes.CONFIG_INVALID, message: 'delivery.receivers[0].routingKey: environment variable PD_KEY is not set' });
  });

  it('reports unknown keys, unknown types and unknown receivers by path', () => {
    expect(errorOf(() => parseDeliveryConfig({ receivers: [{ ...hook, urll: 'x' }], route: { receiver: 'hook' } })).message).toBe('delivery.receivers[0].urll: unknown key');
    expect(errorOf(() => parseDeliveryConfig({ receivers: [{ name: 'x', type: 'fax' }] })).message).toMatch(/^delivery.receivers\[0\].type: unknown receiver type "fax" \(known: webhook, slack, pagerduty, email, jira, alertmanager\)$/);
    expect(errorOf(() => parseDeliveryConfig({ receivers: [hook], route: { receiver: 'hook', routes: [{ receiver: 'nope' }] } })).message).toBe('delivery.route.routes[0].receiver: no receiver named "nope"');
    expect(errorOf(() => parseDeliveryConfig({ receivers: [hook], route: { receiver: 'hook', routes: [{ matchers: ['sev=="x'] }] } })).message).toContain('delivery.route.routes[0].matchers[0]: "sev=="x" is not a matcher');
    expect(errorOf(() => parseDeliveryConfig({ receivers: [hook, hook], route: { receiver: 'hook' } })).message).toBe('delivery.receivers: receiver "hook" is defined twice');
    expect(errorOf(() => parseDeliveryConfig({ receivers: [{ ...hook, title: 'webhooks take no title' }] })).message).toBe('delivery.receivers[0].title: unknown key');
    expect(errorOf(() => parseDeliveryConfig({ receivers: [{ name: 's', type: 'slack', url: 'u', title: '{{#each alerts}}x' }] })).message).toBe('delivery.receivers[0].title: {{#each}} is never closed');
  });

  it('lets child routes inherit policy and grouping, with per-receiver retry overriding the defaults', () => {
    const c = parseDeliveryConfig({
      retry: { maxAgeMs: 120_000 },
      receivers: [hook, { name: 'pager', type: 'pagerduty', routingKey: 'k', maxAgeMs: 60_000, maxConcurrent: 4, ratePerSecond: 2 }],
      route: { receiver: 'hook', groupBy: ['cluster'], groupWaitMs: 5000, routes: [{ matchers: ['severity="critical"'], receiver: 'pager', repeatIntervalMs: 600_000 }] },
    });
    const child = c.route.routes[0]!;
    expect(child.groupBy).toEqual(['cluster']);
    expect(child.policy).toEqual({ groupWaitMs: 5000, groupIntervalMs: 300_000, repeatIntervalMs: 600_000, sendResolved: true });
    expect(c.receivers[0]!.retry.maxAgeMs).toBe(120_000);
    expect(c.receivers[1]!.retry).toMatchObject({ maxAgeMs: 60_000, initialBackoffMs: 1000 });
    expect(c.receivers[1]!.limits).toEqual({ maxConcurrent: 4, ratePerSecond: 2, timeoutMs: 10_000, maxOutboxEntries: 100_000 });
  });
});
