/** Structured JSON logs, one object per line. Callers never pass secrets in fields. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  (level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** Lowest level written. @default 'info' */
  level?: LogLevel;
  write?: (line: string) => void;
  now?: () => number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = rank[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? Date.now;
  return (level, msg, fields) => {
    if (rank[level] < min) return;
    write(`${JSON.stringify({ time: new Date(now()).toISOString(), level, msg, ...fields })}\n`);
  };
}

export const silentLogger: Logger = () => undefined;
