/** Slack receiver against a real local HTTP server standing in for an incoming webhook. */
import { afterEach, describe, expect, it } from 'vitest';
import { alertEvent, harness, startServer, status, type Harness, type RecordingServer } from '../support.js';

const t0 = 1_700_000_000_000;

describe('slack receiver', () => {
  let h: Harness | undefined;
  let server: RecordingServer | undefined;
  afterEach(async () => {
    await h?.dispose();
    await server?.close();
    h = undefined;
  });

  async function setup(extra: Record<string, unknown> = {}): Promise<Harness> {
    server = await startServer();
    return harness({
      startAt: t0,
      env: { SLACK_WEBHOOK_URL: `${server.url}/services/T000/B000/XXXX` },
      delivery: {
        receivers: [{ name: 'chat', type: 'slack', url: '${SLACK_WEBHOOK_URL}', channel: '#ops', ...extra }],
        route: { receiver: 'chat', groupBy: ['cluster'], groupWaitMs: 0, groupIntervalMs: 0 },
      },
    });
  }

  it('posts one message with blocks on firing and one on resolved', async () => {
    h = await setup();
    await h.commit([alertEvent('ping', { agent: 'a1', target: 't1' }, 'pending', 'firing', t0, 2, 612)]);
    await h.commit([alertEvent('ping', { agent: 'a1', target: 't1' }, 'firing', 'resolved', t0 + 60_000, 3, 120)]);
    await h.advance(3_600_000);
    expect(server!.requests.map((r) => r.url)).toEqual(['/services/T000/B000/XXXX', '/services/T000/B000/XXXX']);
    expect(server!.requests[0]!.json()).toEqual({
      text: '[FIRING] ping (agent=a1, target=t1)',
      channel: '#ops',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[FIRING] ping (agent=a1, target=t1)' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: `firing: ping (agent=a1, target=t1)\nvalue: 612\nlabels: alertname=ping, severity=critical, agent=a1, target=t1\nsince: ${new Date(t0).toISOString()}` },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: ':red_circle: FIRING · key `alert/ping/agent=a1,target=t1#2`' }] },
      ],
    });
    const resolved = server!.requests[1]!.json<{ text: string; blocks: Array<{ type: string; elements?: Array<{ text: string }> }> }>();
    expect(resolved.text).toBe('[RESOLVED] ping (agent=a1, target=t1)');
    expect(resolved.blocks[2]!.elements![0]!.text).toBe(':large_green_circle: RESOLVED · key `alert/ping/agent=a1,target=t1#3`');
  });

  it('renders configured title and body templates over labels and values', async () => {
    h = await setup({ title: '{{statusText}} {{commonLabels.alertname}} on {{groupLabels.cluster}}', body: '{{#each alerts}}{{labels.node}}={{value}};{{/each}}' });
    await h.commit([alertEvent('cpu', { cluster: 'c1', node: 'n1' }, 'pending', 'firing', t0, 2, 97)]);
    await h.advance(1000);
    const msg = server!.requests[0]!.json<{ text: string; blocks: Array<{ text?: { text: string } }> }>();
    expect(msg.text).toBe('FIRING cpu on c1');
    expect(msg.blocks[1]!.text!.text).toBe('n1=97;');
  });

  it('treats Slack 404 no_service as permanent and archives without leaking the webhook URL', async () => {
    h = await setup();
    server!.respond(status(404, {}, 'no_service'));
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', t0, 2)]);
    const [archived] = h.delivery.list({ archived: true });
    expect(archived!.reason).toEqual({ code: 'DELIVERY_REJECTED', message: 'receiver chat: HTTP 404: no_service' });
    expect(JSON.stringify(archived)).not.toContain('XXXX');
  });
});
