/** E-mail receiver against a real SMTP server (smtp-server) on an ephemeral port. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { alertEvent, harness, type Harness } from '../support.js';

const t0 = 1_700_000_000_000;

interface Received {
  readonly from: string;
  readonly to: string[];
  readonly raw: string;
}

interface SmtpFixture {
  readonly port: number;
  readonly mails: Received[];
  /** Makes RCPT TO answer with this code (e.g. 451, 550) until cleared. */
  rejectWith(code: number | undefined): void;
  close(): Promise<void>;
}

async function startSmtp(): Promise<SmtpFixture> {
  const mails: Received[] = [];
  let reject: number | undefined;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'vigil' && auth.password === 'hunter2') cb(null, { user: 'vigil' });
      else cb(new Error('bad credentials'));
    },
    onRcptTo(_address, _session, cb) {
      if (reject === undefined) return cb();
      const err = new Error(`rejected with ${reject}`) as Error & { responseCode: number };
      err.responseCode = reject;
      cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    rejectWith: (code) => {
      reject = code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function header(raw: string, name: string): string | undefined {
  const unfolded = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}: (.*)$`, 'im').exec(unfolded);
  return m?.[1];
}

describe('email receiver', () => {
  let h: Harness | undefined;
  let smtp: SmtpFixture | undefined;
  afterEach(async () => {
    await h?.dispose();
    await smtp?.close();
    h = undefined;
  });

  async function setup(): Promise<Harness> {
    smtp = await startSmtp();
    return harness({
      startAt: t0,
      env: { SMTP_PASSWORD: 'hunter2' },
      delivery: {
        receivers: [{ name: 'mail', type: 'email', host: '127.0.0.1', port: smtp.port, user: 'vigil', password: '${SMTP_PASSWORD}', from: 'Vigil <vigil@example.com>', to: ['oncall@example.com', 'team@example.com'] }],
        route: { receiver: 'mail', groupBy: ['cluster'], groupWaitMs: 0, groupIntervalMs: 0 },
      },
    });
  }

  it('sends one message per delivery with the idempotency key as Message-ID, threaded per group', async () => {
    h = await setup();
    await h.commit([alertEvent('backup_late', { cluster: 'c1' }, 'pending', 'firing', t0, 2, 7200)]);
    await h.commit([alertEvent('backup_late', { cluster: 'c1' }, 'firing', 'resolved', t0 + 60_000, 3, 0)]);
    await h.advance(1000);
    expect(smtp!.mails).toHaveLength(2);
    const [firing, resolved] = smtp!.mails as [Received, Received];
    expect(firing.from).toBe('vigil@example.com');
    expect(firing.to).toEqual(['oncall@example.com', 'team@example.com']);
    expect(header(firing.raw, 'Subject')).toBe('[FIRING] backup_late (cluster=c1)');
    expect(header(firing.raw, 'X-Vigil-Idempotency-Key')).toBe('alert/backup_late/cluster=c1#2');
    expect(header(firing.raw, 'Message-ID')).toMatch(/^<vigil\.[0-9a-f]{32}@example\.com>$/);
    expect(firing.raw).toContain(`firing: backup_late (cluster=c1)\r\nvalue: 7200\r\nlabels: alertname=backup_late, severity=critical, cluster=c1\r\nsince: ${new Date(t0).toISOString()}`);
    expect(header(resolved.raw, 'Subject')).toBe('[RESOLVED] backup_late (cluster=c1)');
    expect(header(resolved.raw, 'Message-ID')).not.toBe(header(firing.raw, 'Message-ID'));
    // Same group, same thread.
    expect(header(resolved.raw, 'References')).toBe(header(firing.raw, 'References'));
    expect(header(resolved.raw, 'In-Reply-To')).toBe(header(firing.raw, 'References'));
  });

  it('retries an SMTP 4xx and archives an SMTP 5xx', async () => {
    h = await setup();
    smtp!.rejectWith(451);
    await h.commit([alertEvent('cpu', { cluster: 'c1' }, 'pending', 'firing', t0, 2)]);
    expect(h.delivery.stats()[0]).toMatchObject({ failedTemporary: 1, queued: 1 });
    smtp!.rejectWith(550);
    await h.advance(1000);
    expect(smtp!.mails).toHaveLength(0);
    const [archived] = h.delivery.list({ archived: true });
    expect(archived!.reason!.code).toBe('DELIVERY_REJECTED');
    expect(archived!.reason!.message).toContain('SMTP 550');
    smtp!.rejectWith(undefined);
    await h.delivery.retry(archived!.id);
    await h.delivery.idle();
    expect(smtp!.mails).toHaveLength(1);
  });
});
