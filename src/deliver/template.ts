/**
 * Titles and bodies of notifications, written as small templates over the
 * delivery: `{{ path.to.value }}`, `{{#each alerts}}…{{/each}}` and
 * `{{#if path}}…{{else}}…{{/if}}`. Deliberately tiny: no code, no helpers,
 * nothing a config author can use to reach outside the data it is given.
 */
import { ConfigError } from '../core/index.js';

type Node = { t: 'text'; text: string } | { t: 'var'; path: string } | { t: 'each'; path: string; body: Node[] } | { t: 'if'; path: string; then: Node[]; else: Node[] };

export interface Template {
  readonly source: string;
  render(data: unknown): string;
}

const tag = /\{\{\s*([#/]?)\s*([A-Za-z_.][A-Za-z0-9_.]*)?\s*([A-Za-z0-9_.]*)\s*\}\}/g;

/** Compiles a template once; syntax errors become a ConfigError naming `where`. */
export function compileTemplate(source: string, where: string): Template {
  const root: Node[] = [];
  const stack: Array<{ kind: 'each' | 'if'; nodes: Node[]; node: Node }> = [];
  let target = root;
  let last = 0;
  for (const m of source.matchAll(tag)) {
    if (m.index > last) target.push({ t: 'text', text: source.slice(last, m.index) });
    last = m.index + m[0].length;
    const [, sigil, word = '', arg = ''] = m;
    if (sigil === '#') {
      if (word !== 'each' && word !== 'if') throw new ConfigError(`${where}: unknown block {{#${word}}}`);
      if (!arg) throw new ConfigError(`${where}: {{#${word}}} needs a path`);
      const node: Node = word === 'each' ? { t: 'each', path: arg, body: [] } : { t: 'if', path: arg, then: [], else: [] };
      target.push(node);
      stack.push({ kind: word, nodes: target, node });
      target = node.t === 'each' ? node.body : (node as { then: Node[] }).then;
    } else if (sigil === '/') {
      const open = stack.pop();
      if (!open || open.kind !== word) throw new ConfigError(`${where}: {{/${word}}} closes nothing`);
      target = open.nodes;
    } else if (word === 'else') {
      const open = stack[stack.length - 1];
      if (!open || open.node.t !== 'if') throw new ConfigError(`${where}: {{else}} outside {{#if}}`);
      target = open.node.else;
    } else target.push({ t: 'var', path: word });
  }
  if (stack.length > 0) throw new ConfigError(`${where}: {{#${stack[stack.length - 1]!.kind}}} is never closed`);
  if (last < source.length) target.push({ t: 'text', text: source.slice(last) });
  return { source, render: (data) => renderNodes(root, [data]) };
}

function renderNodes(nodes: readonly Node[], scopes: readonly unknown[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'text') out += n.text;
    else if (n.t === 'var') out += show(lookup(n.path, scopes));
    else if (n.t === 'each') {
      const v = lookup(n.path, scopes);
      const items = Array.isArray(v) ? v : isObject(v) ? Object.entries(v).map(([key, value]) => ({ key, value })) : [];
      for (const item of items) out += renderNodes(n.body, [item, ...scopes]);
    } else out += renderNodes(truthy(lookup(n.path, scopes)) ? n.then : n.else, scopes);
  }
  return out;
}

/** `.` is the current item; other paths resolve in the innermost scope that has their first name. */
function lookup(path: string, scopes: readonly unknown[]): unknown {
  if (path === '.' || path === 'this') return scopes[0];
  const parts = path.replace(/^this\./, '').split('.');
  const scope = scopes.find((s) => isObject(s) && parts[0]! in s);
  let v: unknown = scope;
  for (const p of parts) v = isObject(v) ? v[p] : undefined;
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (isObject(v)) return Object.entries(v).map(([k, x]) => `${k}=${show(x)}`).join(', ');
  return String(v);
}
