import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Redactor } from './redact.js';
import { CUT_MARK, displayLine, withoutFirstWord } from './sanitize.js';

/** The pager gets at most the last this many bytes of a log: enough for any run's story, bounded for a 2 GB one. */
export const PAGER_TAIL_BYTES = 64 * 1024 * 1024;

/** A line longer than this is cut in the pager (a megabyte of JSON on one line says nothing more past it). */
export const PAGER_MAX_LINE = 64 * 1024;

const size = (bytes: number): string =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;

/**
 * A log's content as the pager shows it: its last `tailBytes` (a first line says what was left
 * out), line by line as the pane shows them (escape sequences removed, redacted as the terminal
 * would print them, cut to `maxLine`). Memory and time stay bounded whatever the file holds, a
 * file of gigabytes without a line break included: the pager answers `q` at once.
 */
export function redactedFileStream(path: string, redact: Redactor, options: { tailBytes?: number; maxLine?: number } = {}): NodeJS.ReadableStream {
  const tailBytes = options.tailBytes ?? PAGER_TAIL_BYTES;
  const maxLine = options.maxLine ?? PAGER_MAX_LINE;
  let total = 0;
  try {
    total = statSync(path).size;
  } catch {
    // Read from the start: the read stream reports what is wrong with the file.
  }
  const start = Math.max(0, total - tailBytes);
  const decoder = new StringDecoder('utf8');
  // The line being read; beyond maxLine a line keeps its start (its end when it started before what was read).
  // Read from the middle of a line: it is shown as cut, without its first word (maybe the end of a key).
  let partial = start > 0 ? CUT_MARK : '';
  let dropped = 0;
  let first = start > 0;
  const show = (line: string, unterminated: boolean) =>
    displayLine(line, redact, { unterminated, max: maxLine }) + (dropped > 0 ? ` ${CUT_MARK} (${dropped} more characters not shown)` : '');
  const add = (text: string) => {
    if (partial.startsWith(CUT_MARK)) {
      partial += text;
      if (partial.length > 2 * maxLine) partial = `${CUT_MARK}${withoutFirstWord(partial.slice(-maxLine))}`;
    } else if (partial.length < maxLine) {
      partial += text;
      if (partial.length > maxLine) {
        dropped += partial.length - maxLine;
        partial = partial.slice(0, maxLine);
      }
    } else dropped += text.length;
  };
  const lines = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let text = decoder.write(chunk);
      if (first) text = withoutFirstWord(text);
      first = false;
      text = text.replace(/\0/g, '');
      const out: string[] = [];
      let at = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', at)) {
        add(text.slice(at, nl));
        out.push(show(partial, dropped > 0));
        partial = '';
        dropped = 0;
        at = nl + 1;
      }
      add(text.slice(at));
      done(null, out.length > 0 ? out.join('\n') + '\n' : '');
    },
    flush(done) {
      add(decoder.end().replace(/\0/g, ''));
      // The file's last line may be one still being written.
      done(null, partial || dropped > 0 ? show(partial, true) : '');
    },
  });
  const source = createReadStream(path, { start });
  source.on('error', (error) => lines.destroy(error));
  if (start > 0) lines.push(`[ptb: only the last ${size(total - start)} of this ${size(total)} file are shown here; the whole file is ${path}]\n`);
  return source.pipe(lines);
}
