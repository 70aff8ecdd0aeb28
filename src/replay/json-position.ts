/**
 * Where in one line of JSON a problem is. `JSON.parse` stays the fast path;
 * this small scanner runs only once a line is known to be bad, to turn "the
 * value of `tags.cluster`" or "a syntax error" into a 1-based column.
 */

export interface JsonScan {
  /** 0-based offset of each value, by path: `ts`, `tags`, `tags.cluster`. */
  readonly valueAt: ReadonlyMap<string, number>;
  /** Set when the text is not JSON: 0-based offset of the first bad character and why. */
  readonly error?: { readonly offset: number; readonly message: string };
}

class Stop {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** Scans `text` as JSON, recording where each object member's value starts. */
export function scanJson(text: string): JsonScan {
  const valueAt = new Map<string, number>();
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const expect = (c: string, what: string): void => {
    if (text[i] !== c) throw new Stop(i, `expected ${what}, found ${found()}`);
    i++;
  };
  const found = (): string => (i >= text.length ? 'the end of the line' : `'${text[i]}'`);
  const string = (): string => {
    const start = i;
    expect('"', 'a string');
    for (;;) {
      if (i >= text.length) throw new Stop(start, 'this string is not closed');
      const c = text[i]!;
      if (c === '"') break;
      if (c === '\\') i++;
      else if (c < ' ') throw new Stop(i, 'control character inside a string');
      i++;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw new Stop(start, 'bad escape in this string');
    }
  };
  /** The members of an object or array, `i` at its opening bracket. */
  const members = (close: string, member: (n: number) => void): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (let n = 0; ; n++) {
      member(n);
      ws();
      if (text[i] !== ',') break;
      i++;
    }
    expect(close, `',' or '${close}'`);
  };
  const value = (path: string): void => {
    ws();
    if (path) valueAt.set(path, i);
    const c = text[i];
    const join = (key: string): string => (path ? `${path}.${key}` : key);
    if (c === '{') {
      members('}', () => {
        ws();
        const key = string();
        ws();
        expect(':', "':' after the member name");
        value(join(key));
      });
      return;
    }
    if (c === '[') {
      members(']', (n) => value(join(String(n))));
      return;
    }
    if (c === '"') {
      string();
      return;
    }
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!m) throw new Stop(i, `expected a value, found ${found()}`);
    i += m[0].length;
  };
  try {
    value('');
    ws();
    if (i < text.length) throw new Stop(i, `unexpected ${found()} after the JSON value`);
    return { valueAt };
  } catch (e) {
    if (e instanceof Stop) return { valueAt, error: { offset: e.offset, message: e.message } };
    throw e;
  }
}
