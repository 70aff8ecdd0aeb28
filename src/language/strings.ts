/** String literals: decoding what the user wrote, and quoting for the formatter. */
import type { Span } from './ast.js';

/**
 * Decodes `"..."` with escapes, or a raw `` `...` `` (handy for regexes).
 * An unknown escape is reported through `fail` with its position and kept literally.
 */
export function decodeString(raw: string, span: Span, fail: (span: Span, message: string) => void): string {
  if (raw.startsWith('`')) return raw.slice(1, -1);
  let out = '';
  for (let i = 1; i < raw.length - 1; i++) {
    const ch = raw[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = raw[++i]!;
    const simple = escapes[next];
    if (simple !== undefined) out += simple;
    else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      fail(
        { ...span, column: span.column + i - 1, endColumn: span.column + i + 1, endLine: span.line },
        `unknown escape "\\${next}" in string; write "\\\\${next}" or use a raw \`string\``,
      );
      out += next;
    }
  }
  return out;
}

const escapes: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', t: '\t', r: '\r' };

export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
