/** Notification templates: values, sections over alerts and members, conditionals, syntax errors. */
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/deliver/index.js';

describe('templates', () => {
  const data = {
    status: 'firing',
    groupLabels: { cluster: 'c1' },
    alerts: [
      { title: 'cpu', value: 97.123456789, labels: { node: 'n1' }, members: [] },
      { title: 'mem', value: null, labels: { node: 'n2' }, members: [{ id: 'cluster/c2', state: 'firing' }] },
    ],
  };

  it('renders paths, lists and label maps', () => {
    expect(compileTemplate('{{ status }} on {{groupLabels.cluster}}: {{groupLabels}}', 't').render(data)).toBe('firing on c1: cluster=c1');
  });

  it('repeats a section per alert, resolving names in the item first, then outside', () => {
    const t = compileTemplate('{{#each alerts}}[{{title}}@{{labels.node}} {{status}}{{#if value}} ={{value}}{{else}} no value{{/if}}{{#each members}} {{id}}{{/each}}]{{/each}}', 't');
    expect(t.render(data)).toBe('[cpu@n1 firing =97.1235][mem@n2 firing no value cluster/c2]');
  });

  it('rejects unbalanced and unknown blocks with the config path', () => {
    expect(() => compileTemplate('{{#each alerts}}', 'delivery.receivers[0].body')).toThrow('delivery.receivers[0].body: {{#each}} is never closed');
    expect(() => compileTemplate('{{/if}}', 'x')).toThrow('x: {{/if}} closes nothing');
    expect(() => compileTemplate('{{#with a}}{{/with}}', 'x')).toThrow('x: unknown block {{#with}}');
  });
});
