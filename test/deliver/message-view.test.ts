/** What receivers show: the rule's summary and description annotations when it has them, its name and labels when not. */
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/deliver/index.js';
import { defaultBodyTemplate, defaultTitleTemplate, messageView } from '../../src/deliver/message-view.js';
import type { DeliveryRequest } from '../../src/deliver/model.js';
import { toNotification } from '../../src/deliver/notifications.js';
import { slackPayload } from '../../src/deliver/receivers/slack/index.js';
import { alertEvent } from './support.js';

const t0 = Date.UTC(2026, 0, 1);

function request(annotations?: Record<string, string>): DeliveryRequest {
  const event = { ...alertEvent('high_cpu', { cluster: 'c1' }, 'pending', 'firing', t0, 2, 97), ...(annotations ? { annotations } : {}) };
  const n = toNotification(event)!;
  return { id: `chat:${n.key}`, key: n.key, receiver: 'chat', groupKey: 'root:{}', groupLabels: {}, repeat: false, notifications: [n], attempt: 1 };
}

const title = compileTemplate(defaultTitleTemplate, 'title');
const body = compileTemplate(defaultBodyTemplate, 'body');

describe('titles and bodies', () => {
  it('use the summary and description annotations when the rule has them', () => {
    const view = messageView(request({ summary: 'CPU above 95% on c1', description: 'Scale the api deployment or shed load.' }));
    expect(title.render(view)).toBe('[FIRING] CPU above 95% on c1');
    expect(body.render(view)).toBe('firing: CPU above 95% on c1\nScale the api deployment or shed load.\nvalue: 97\nlabels: alertname=high_cpu, severity=critical, cluster=c1\nsince: 2026-01-01T00:00:00.000Z\n\n');
    const slack = slackPayload(request({ summary: 'CPU above 95% on c1', description: 'Scale the api deployment.' }), { title, body });
    expect(slack.text).toBe('[FIRING] CPU above 95% on c1');
    expect(JSON.stringify(slack.blocks)).toContain('Scale the api deployment.');
  });

  it('fall back to the rule and labels without annotations, or with blank ones', () => {
    for (const annotations of [undefined, {}, { summary: ' ', description: '' }] as Array<Record<string, string> | undefined>) {
      const view = messageView(request(annotations));
      expect(title.render(view)).toBe('[FIRING] high_cpu (cluster=c1)');
      expect(body.render(view)).toBe('firing: high_cpu (cluster=c1)\nvalue: 97\nlabels: alertname=high_cpu, severity=critical, cluster=c1\nsince: 2026-01-01T00:00:00.000Z\n\n');
    }
  });

  it('let templates reach every annotation', () => {
    const view = messageView(request({ summary: 's', runbook: 'https://runbooks/cpu' }));
    expect(compileTemplate('{{#each alerts}}{{annotations.runbook}}{{/each}} {{commonAnnotations.runbook}}', 't').render(view)).toBe('https://runbooks/cpu https://runbooks/cpu');
  });
});
