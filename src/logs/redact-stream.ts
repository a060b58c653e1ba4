import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Redactor } from './redact.js';

/**
 * A file's content, streamed line by line through `redact`: what the pager shows of a log. A
 * key split across two chunks is still one line when it is redacted.
 */
export function redactedFileStream(path: string, redact: Redactor): NodeJS.ReadableStream {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const lines = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const parts = (partial + decoder.write(chunk)).split('\n');
      partial = parts.pop() ?? '';
      done(null, parts.length > 0 ? parts.map((line) => redact(line)).join('\n') + '\n' : '');
    },
    flush(done) {
      const rest = partial + decoder.end();
      // The file's last line may be one still being written.
      done(null, rest ? redact(rest, { unterminated: true }) : '');
    },
  });
  const source = createReadStream(path);
  source.on('error', (error) => lines.destroy(error));
  return source.pipe(lines);
}
