import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { logWindow, scrollToMatch } from '../../src/logs/log-window.js';
import type { Config } from '../../src/config/schema.js';
import { createLogSession } from '../../src/app/monitor/log-session.js';
import { telltaleTab } from '../../src/monitor/log-tabs.js';
import { runPhase, silence } from '../../src/logs/phase.js';
import type { UndiagnosedJob } from '../../src/monitor/ptb-job.js';
import { runDir } from '../../src/plan/task.js';
import { createAppStore } from '../../src/app/store.js';
import { keyBytes } from '../../src/terminal/pty-shell.js';
import { createRedactor } from '../../src/logs/redact.js';
import { redactedFileStream } from '../../src/logs/redact-stream.js';
import { displayLine, sanitizeLine } from '../../src/logs/sanitize.js';
import { goldenFile } from '../helpers/golden.js';
import { createTail } from '../../src/logs/tail-file.js';
import { waitFor } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ptb-logs-'));
/** Log lines that split a key in every way a terminal would still show it whole, each with what ptb must show. */
const REDACTION = JSON.parse(goldenFile('logs/redaction.json')) as { secrets: string[]; cases: { what: string; raw: string; shown: string }[] };

async function pagerText(file: string, redact: ReturnType<typeof createRedactor>, options: Parameters<typeof redactedFileStream>[2] = {}): Promise<string> {
  let text = '';
  for await (const chunk of redactedFileStream(file, redact, options)) text += String(chunk);
  return text;
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('following a log file', () => {
  it('waits for a file that does not exist yet, then shows what is appended, a half-written line included', async () => {
    const file = join(dir, 'output.log');
    const tail = createTail(file);
    expect(await tail.poll()).toBe(false);
    expect(tail.snapshot()).toMatchObject({ exists: false, lines: [] });
    writeFileSync(file, 'Preparing job directory...\n');
    expect(await tail.poll()).toBe(true);
    appendFileSync(file, '========= RUNNING TASK =========\nhalf');
    await tail.poll();
    expect(tail.snapshot().lines).toEqual(['Preparing job directory...', '========= RUNNING TASK =========', 'half']);
    appendFileSync(file, ' a line\n');
    await tail.poll();
    expect(tail.snapshot().lines.slice(-1)).toEqual(['half a line']);
    expect(await tail.poll()).toBe(false);
  });

  it('reads again from the end a file that was truncated or replaced (a requeue rewrites the logs)', async () => {
    const file = join(dir, 'stdout.log');
    writeFileSync(file, 'first run line 1\nfirst run line 2\n');
    const tail = createTail(file);
    await tail.poll();
    writeFileSync(file, 'second run\n');
    await tail.poll();
    expect(tail.snapshot()).toMatchObject({ lines: ['second run'], restarted: true });
    const fresh = join(dir, 'fresh.log');
    writeFileSync(fresh, 'third run, a longer file than the one it replaces\n');
    renameSync(fresh, file);
    await tail.poll();
    expect(tail.snapshot()).toMatchObject({ lines: ['third run, a longer file than the one it replaces'], restarted: true });
  });

  it('opens a 2 GB file at its last lines without reading the rest, and keeps a multi-byte character split across reads whole', async () => {
    const file = join(dir, 'solve_out.txt');
    writeFileSync(file, '');
    truncateSync(file, 2 * 1024 ** 3);
    const fd = openSync(file, 'r+');
    const end = Array.from({ length: 600 }, (_, i) => `step ${i}`).join('\n') + '\n';
    writeSync(fd, end, 2 * 1024 ** 3);
    closeSync(fd);
    const tail = createTail(file, { initialBytes: 64 * 1024 });
    await tail.poll();
    const shot = tail.snapshot();
    expect(shot.lines.slice(-2)).toEqual(['step 598', 'step 599']);
    expect(shot.skippedBytes).toBeGreaterThan(2 * 1024 ** 3 - 64 * 1024 - 1);
    // "é" is two bytes: written one byte at a time, it still reads as one character.
    const bytes = Buffer.from('café\n');
    appendFileSync(file, bytes.subarray(0, 4));
    await tail.poll();
    appendFileSync(file, bytes.subarray(4));
    await tail.poll();
    expect(tail.snapshot().lines.slice(-1)).toEqual(['café']);
  });
});

describe('a huge log without line breaks, and a deleted one', () => {
  /** A sparse file of `size` NULs (a log truncated under its writer) that ends with `end`. */
  function holeThenText(name: string, size: number, end: string): string {
    const file = join(dir, name);
    writeFileSync(file, '');
    truncateSync(file, size);
    const fd = openSync(file, 'r+');
    writeSync(fd, end, size);
    closeSync(fd);
    return file;
  }

  it('shows the real last line of 2 GB of NULs in the pane, not (empty)', async () => {
    const tail = createTail(holeThenText('hole.log', 2 * 1024 ** 3, 'the real last line\n'));
    await tail.poll();
    expect(tail.snapshot().lines).toEqual(['…the real last line']);
  });

  it('keeps a line still being written bounded, however long it grows, and shows its end', async () => {
    const file = join(dir, 'no-breaks.log');
    writeFileSync(file, '');
    const tail = createTail(file);
    for (let i = 0; i < 12; i++) {
      appendFileSync(file, 'words '.repeat(200_000));
      await tail.poll();
    }
    appendFileSync(file, 'and the end');
    await tail.poll();
    const [line = '', ...more] = tail.snapshot().lines;
    expect(more).toEqual([]);
    // 7 MB were written: a quarter of a megabyte at most is kept.
    expect(line.length).toBeLessThanOrEqual(256 * 1024 + 1);
    expect(sanitizeLine(line)).toMatch(/^…[a-z]* (words ){300,}and the end$/);
  });

  it('says a deleted file is deleted and keeps what it held, until a new one is written', async () => {
    const file = join(dir, 'deleted.log');
    writeFileSync(file, 'what it held\n');
    const tail = createTail(file);
    await tail.poll();
    rmSync(file);
    expect(await tail.poll()).toBe(true);
    expect(tail.snapshot()).toMatchObject({ exists: false, deleted: true, lines: ['what it held'] });
    writeFileSync(file, 'a new file\n');
    await tail.poll();
    expect(tail.snapshot()).toMatchObject({ exists: true, deleted: false, restarted: true, lines: ['a new file'] });
  });

  it('gives the pager the last part of a 2 GB file, said so in a first line, and cuts a line of any length', async () => {
    const redact = createRedactor([]);
    const file = holeThenText('pager-hole.log', 2 * 1024 ** 3, 'the real last line\n');
    expect(await pagerText(file, redact)).toBe(
      `[ptb: only the last 64.0 MB of this 2.0 GB file are shown here; the whole file is ${file}]\n…the real last line\n`,
    );
    const long = join(dir, 'one-long-line.log');
    writeFileSync(long, `start ${'A'.repeat(300_000)}\nnext line\n`);
    const [cut = '', next] = (await pagerText(long, redact, { maxLine: 1000 })).split('\n');
    expect(cut).toBe(`start ${'A'.repeat(994)} … (299006 more characters not shown)`);
    expect(next).toBe('next line');
  });
});

describe('what a log line may show', () => {
  it('redacts the user own keys and anything shaped like a provider key', () => {
    const redact = createRedactor(['my-own-secret-value-123', 'short']);
    expect(redact('CODEX_API_KEY=sk-proj-AbC123xyz789QQQ and my-own-secret-value-123 but short stays')).toBe(
      'CODEX_API_KEY=sk-proj-<redacted> and <redacted> but short stays',
    );
    expect(redact('key AIzaSyD-1234567890abcdef ok')).toBe('key AIzaSy<redacted> ok');
    expect(redact('export ANTHROPIC_API_KEY="sk-ant-api03-aaaaaaaaaaaa"')).toBe('export ANTHROPIC_API_KEY="sk-ant-<redacted>"');
  });

  it('hides the first half of a key at the end of a line still being written', () => {
    const own = 'x7Hq9-own-key-without-a-known-prefix';
    const redact = createRedactor([own]);
    const open = { unterminated: true };
    // Every cut of the key, as a chunk boundary could leave it: at most its first 3 characters show.
    for (let n = 1; n < own.length; n++) {
      const shown = redact(`export MY_KEY=${own.slice(0, n)}`, open);
      expect(shown.startsWith('export MY_KEY=')).toBe(true);
      expect(shown.slice('export MY_KEY='.length).replace('<redacted>', '').length).toBeLessThan(4);
    }
    expect(redact('OPENAI_API_KEY=sk-proj-Ab', open)).toBe('OPENAI_API_KEY=sk-proj-<redacted>');
    expect(redact('key AIzaSyD-12', open)).toBe('key AIzaSy<redacted>');
    // Ordinary text still being written is left as it is, and a finished line is not touched.
    expect(redact('task-force epoch 3: loss 0.41 acc', open)).toBe('task-force epoch 3: loss 0.41 acc');
    expect(redact('export MY_KEY=x7Hq9-own')).toBe('export MY_KEY=x7Hq9-own');
  });

  it('strips colours and cursor moves, keeps the last state of a progress bar, and marks binary junk', () => {
    expect(sanitizeLine('\x1b[1;31mERROR\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07')).toBe('ERROR link');
    expect(sanitizeLine(' 10%|#   \r 50%|#####  \r100%|##########')).toBe('100%|##########');
    // A terminal prints nothing for a NUL: a log with a hole of NULs must not read as junk.
    expect(sanitizeLine('a\x00\x01b\tc')).toBe('a?b    c');
    expect(sanitizeLine('x'.repeat(5000))).toBe(`${'x'.repeat(2000)}…`);
    // A line whose start was not read shows its end.
    expect(sanitizeLine(`…${'x'.repeat(5000)}END`)).toBe(`…${'x'.repeat(1997)}END`);
  });

  it('redacts a key as the terminal would print it, in the pane and in the pager (golden cases)', async () => {
    const cases = REDACTION.cases.map((c) => c.shown);
    const redact = createRedactor(REDACTION.secrets);
    for (const c of REDACTION.cases) expect(displayLine(c.raw, redact), c.what).toBe(c.shown);
    const text = REDACTION.cases.map((c) => c.raw).join('\n') + '\n';
    const { store } = codexRun(79, text, REDACTION.secrets);
    await waitFor(() => store.getState().logs.lines.length >= cases.length, { timeoutMs: 3_000, what: 'the file read' });
    expect(store.getState().logs.lines.slice(0, cases.length)).toEqual(cases);
    const file = join(dir, 'redaction-cases.log');
    writeFileSync(file, text);
    expect(await pagerText(file, redact)).toBe(cases.join('\n') + '\n');
    // Nothing of any key shows anywhere, whatever part of it.
    const all = [...store.getState().logs.lines, await pagerText(file, redact)].join('\n');
    for (const secret of REDACTION.secrets) for (const piece of [secret.slice(0, 12), secret.slice(-10)]) expect(all).not.toContain(piece);
  });

  it('reads the run phase from the banners, and says when the agent has been silent', () => {
    expect(runPhase(['gsm8k claude Qwen/Qwen3-1.7B-Base 12 1 claude-opus-4-6 1', 'Preparing job directory...', '========= RUNNING TASK ========='])).toBe(
      'agent running',
    );
    expect(runPhase(['========= EVALUATING ===========', 'Evaluation attempt 2 (phase attempt 2 of 4)'])).toBe('evaluating, attempt 2');
    // Each attempt in turn, as output.log prints them: the phase follows the latest.
    expect(runPhase(['========= EVALUATING ===========', 'Evaluation attempt 1 (phase attempt 1 of 4)', 'Evaluation attempt 2 (phase attempt 2 of 4)'])).toBe(
      'evaluating, attempt 2',
    );
    expect(runPhase(['======= EVALUATION DONE ========'])).toBe('done');
    expect(runPhase(['nothing yet'])).toBeNull();
    const now = new Date('2026-11-29T12:00:00Z');
    expect(silence(new Date('2026-11-29T11:13:00Z'), now)).toBe('agent silent for 47 min');
    expect(silence(new Date('2026-11-29T11:55:00Z'), now)).toBeNull();
  });
});

describe('the log pane', () => {
  it('follows the end, scrolls back by lines, and wraps long lines to the width', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i}`);
    expect(logWindow({ lines, scroll: 0, wrap: false }, 80, 3)).toEqual(['line 7', 'line 8', 'line 9']);
    expect(logWindow({ lines, scroll: 4, wrap: false }, 80, 3)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(logWindow({ lines: ['abcdefghij'], scroll: 0, wrap: true }, 4, 5)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('jumps to the log that explains the job', () => {
    expect(telltaleTab({ state: 'COMPLETED', inQueue: false, evidence: 'final_eval_2.txt: RuntimeError: Failed to start vLLM server' })).toBe('final_eval');
    expect(telltaleTab({ state: 'COMPLETED', inQueue: false, evidence: 'error.log: fuse: device not found' })).toBe('error.log');
    expect(telltaleTab({ state: 'RUNNING', inQueue: true })).toBe('solve_out.txt');
    expect(telltaleTab({ state: 'FAILED', inQueue: false, evidence: null })).toBe('stderr');
    expect(telltaleTab({ state: 'COMPLETED', inQueue: false })).toBe('output.log');
  });

  it('searches upwards for the next match (n) and downwards for the previous one (N)', () => {
    const lines = ['Error one', 'ok', 'ERROR two', 'ok', 'ok'];
    // From the end (scroll 0, last line 4): the match above is line 2, three lines up.
    expect(scrollToMatch(lines, 0, 'error', 1)).toBe(2);
    expect(scrollToMatch(lines, 2, 'error', 1)).toBe(4);
    expect(scrollToMatch(lines, 4, 'error', 1)).toBeNull();
    expect(scrollToMatch(lines, 4, 'error', -1)).toBe(2);
    // Enter starts at the line shown last, included.
    expect(scrollToMatch(lines, -1, 'ok', 1)).toBe(0);
  });

  it('shows a planted key nowhere: the session redacts what it reads before the store sees it', async () => {
    const { store, file } = codexRun(77, 'codex: using CODEX_API_KEY=planted-secret-value-0001\n\x1b[32mok\x1b[0m\n', ['planted-secret-value-0001']);
    await waitFor(() => store.getState().logs.lines.length === 2, {
      timeoutMs: 3_000,
      what: 'the file read',
      describe: () => store.getState().logs.lines.join('\n'),
    });
    expect(store.getState().logs).toMatchObject({ jobId: '77', path: file, exists: true, lines: ['codex: using CODEX_API_KEY=<redacted>', 'ok'] });
  });
});

/** A running codex job whose solve_out.txt starts with `text`, followed by the log session; stopped after the test. */
function codexRun(id: number, text: string, secretValues: string[]) {
  const store = createAppStore({ checkout: null });
  const cfg = { resultsDir: join(dir, `results-${id}`), containerName: 'standard' } as Config;
  const task = {
    kind: 'agent',
    eval: 'gsm8k',
    model: 'Qwen/Qwen3-1.7B-Base',
    agent: 'codex',
    config: 'gpt-5.3-codex',
    hours: 1,
    gpus: 1,
    experiment: '_run1',
  } as const;
  const run = runDir(cfg.resultsDir, task, id);
  mkdirSync(run, { recursive: true });
  const file = join(run, 'solve_out.txt');
  writeFileSync(file, text);
  const session = createLogSession({ store, config: () => cfg, secretValues: () => secretValues });
  session.watch({ id: String(id), ownId: id, task, inQueue: true } as UndiagnosedJob, 'solve_out.txt');
  onTestFinished(() => session.stop());
  return { store, file };
}

describe('a key written in two pieces', () => {
  it('never shows its first piece in the pane, and shows the line redacted once it is whole', async () => {
    const key = 'planted-secret-value-0002';
    const { store, file } = codexRun(78, `codex: using CODEX_API_KEY=${key.slice(0, 12)}`, [key]);
    const shown = () => store.getState().logs.lines;
    await waitFor(() => shown().length > 0, { timeoutMs: 3_000, what: 'the first piece read' });
    expect(shown()).toEqual(['codex: using CODEX_API_KEY=<redacted>']);
    appendFileSync(file, `${key.slice(12)}\nok\n`);
    await waitFor(() => shown().includes('ok'), { timeoutMs: 3_000, what: 'the rest read', describe: () => shown().join('\n') });
    expect(shown()).toEqual(['codex: using CODEX_API_KEY=<redacted>', 'ok']);
  });

  it('never shows its first piece in the pager either (the file ends in the middle of the key)', async () => {
    const key = 'planted-secret-value-0003';
    const file = join(dir, 'pager-split.log');
    writeFileSync(file, `line one\nCODEX_API_KEY=${key}\nCODEX_API_KEY=${key.slice(0, 15)}`);
    let text = '';
    for await (const chunk of redactedFileStream(file, createRedactor([key]))) text += String(chunk);
    expect(text).toBe('line one\nCODEX_API_KEY=<redacted>\nCODEX_API_KEY=<redacted>');
  });
});

describe('keys for the shell pane', () => {
  it('sends the bytes a terminal would send', () => {
    expect(keyBytes('', { return: true })).toBe('\r');
    expect(keyBytes('', { backspace: true })).toBe('\x7f');
    expect(keyBytes('c', { ctrl: true })).toBe('\x03');
    expect(keyBytes('', { upArrow: true })).toBe('\x1b[A');
    expect(keyBytes('', { tab: true, shift: true })).toBe('\x1b[Z');
    expect(keyBytes('b', { meta: true })).toBe('\x1bb');
    expect(keyBytes('ls -l', {})).toBe('ls -l');
  });
});
