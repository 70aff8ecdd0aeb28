/** Routing tree and matchers: default route, first match wins, `continue`, group keys. */
import { describe, expect, it } from 'vitest';
import { parseDeliveryConfig } from '../../src/deliver/index.js';
import { parseMatcher } from '../../src/deliver/matchers.js';
import { resolveRoutes } from '../../src/deliver/routing.js';

const receivers = ['default', 'db', 'pager', 'audit'].map((name) => ({ name, type: 'webhook', url: 'http://h' }));
const { route } = parseDeliveryConfig({
  receivers,
  route: {
    receiver: 'default',
    groupBy: ['alertname'],
    routes: [
      { matchers: ['team=~"db|storage"'], receiver: 'db', groupBy: ['alertname', 'cluster'], routes: [{ matchers: ['severity="critical"'], receiver: 'pager' }] },
      { matchers: ['severity!="info"'], receiver: 'audit', continue: true },
      { matchers: ['env="prod"'], receiver: 'pager' },
    ],
  },
});

const receiversFor = (labels: Record<string, string>): string[] => resolveRoutes(route, labels).map((m) => m.receiver);

describe('routing', () => {
  it('falls back to the default route when no child matches', () => {
    expect(receiversFor({ alertname: 'x', severity: 'info' })).toEqual(['default']);
  });

  it('takes the deepest matching route and stops at the first matching sibling', () => {
    expect(receiversFor({ alertname: 'x', team: 'db', severity: 'warning' })).toEqual(['db']);
    expect(receiversFor({ alertname: 'x', team: 'storage', severity: 'critical', env: 'prod' })).toEqual(['pager']);
  });

  it('goes on to later siblings after a route with continue', () => {
    expect(receiversFor({ alertname: 'x', severity: 'warning', env: 'prod' })).toEqual(['audit', 'pager']);
  });

  it('groups by the labels of the route that matched', () => {
    const [m] = resolveRoutes(route, { alertname: 'disk', team: 'db', cluster: 'c7', node: 'n1', severity: 'warning' });
    expect(m).toMatchObject({ route: 'root/0', groupLabels: { alertname: 'disk', cluster: 'c7' }, groupKey: 'root/0:{alertname="disk",cluster="c7"}' });
  });

  it('matches like Alertmanager: anchored regexes, a missing label reads as empty', () => {
    expect(parseMatcher('team=~"db"', 'm').test({ team: 'dba' })).toBe(false);
    expect(parseMatcher('team!~"db.*"', 'm').test({ team: 'web' })).toBe(true);
    expect(parseMatcher('team!="db"', 'm').test({})).toBe(true);
    expect(parseMatcher('team=""', 'm').test({})).toBe(true);
    expect(parseMatcher('name="a \\"quoted\\" value"', 'm').value).toBe('a "quoted" value');
  });
});
