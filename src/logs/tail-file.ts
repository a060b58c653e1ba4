import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { CUT_MARK, MAX_LINE, withoutFirstWord } from './sanitize.js';

/** What a tail shows: the last lines of a file that may not exist yet, may grow, shrink or be replaced. */
export interface TailSnapshot {
  path: string;
  exists: boolean;
  /** The file was there and is gone: `lines` are what it held. */
  deleted: boolean;
  lines: string[];
  /** The file's size at the last read. */
  size: number;
  /** Bytes before the first line shown that were never read (a huge file, a burst of writes). */
  skippedBytes: number;
  /** Set when the file shrank or was replaced since the last read (a requeue rewrites logs). */
  restarted: boolean;
  /** The last line has no newline yet: it is still being written. */
  unterminated: boolean;
}

/** A line kept in memory is cut beyond this many characters: the screen shows MAX_LINE of them. */
const MAX_KEPT_LINE = 4 * MAX_LINE;

/**
 * A line still being written beyond this length keeps only its last MAX_KEPT_LINE characters:
 * a file of gigabytes without a line break must not fill memory (nor take ever longer to read).
 */
const MAX_PARTIAL = 32 * MAX_KEPT_LINE;

/** A long complete line, cut to what is worth keeping: its start, or its end for a line whose start was not read. */
const keep = (line: string): string => {
  if (line.length <= MAX_KEPT_LINE) return line;
  return line.startsWith(CUT_MARK) ? `${CUT_MARK}${withoutFirstWord(line.slice(-MAX_KEPT_LINE))}` : `${line.slice(0, MAX_KEPT_LINE)}${CUT_MARK}`;
};

export interface TailOptions {
  /** Lines kept in memory. */
  maxLines?: number;
  /** How much of the end of the file is read when (re)opening it. */
  initialBytes?: number;
  /** A larger burst of new bytes is skipped to its last `initialBytes`. */
  maxChunk?: number;
}

/**
 * Follows a file by polling (shared filesystems deliver no inotify events): the first read seeks
 * to the last `initialBytes`, later reads take only what was appended since the last offset.
 * A file that shrank or got a new inode is read again from its end. Memory stays bounded by
 * `maxLines`, however large the file.
 */
export function createTail(path: string, options: TailOptions = {}) {
  const maxLines = options.maxLines ?? 5000;
  const initialBytes = options.initialBytes ?? 512 * 1024;
  const maxChunk = options.maxChunk ?? 8 * 1024 * 1024;
  let ino: number | null = null;
  let offset = 0;
  let lines: string[] = [];
  let partial = '';
  let decoder = new StringDecoder('utf8');
  let exists = false;
  let skippedBytes = 0;
  let restarted = false;
  let deleted = false;

  /**
   * Adds text read from the file. `fromMiddle`: the text starts inside a line, whose piece is
   * dropped when later lines follow, and kept (by its end) when it is all there is: a huge file
   * without line breaks still shows how it ends.
   */
  const push = (text: string, fromMiddle: boolean) => {
    // Terminals ignore NULs: a log truncated under a writer (a hole of NULs) must not read as junk.
    const parts = (partial + (fromMiddle ? withoutFirstWord(text) : text).replace(/\0/g, '')).split('\n');
    partial = parts.pop() ?? '';
    if (fromMiddle) {
      if (parts.length > 1 || (parts.length === 1 && partial !== '')) parts.shift();
      else if (parts.length === 1) parts[0] = `${CUT_MARK}${parts[0] ?? ''}`;
      else partial = `${CUT_MARK}${partial}`;
    }
    if (partial.length > MAX_PARTIAL) partial = `${CUT_MARK}${withoutFirstWord(partial.slice(-MAX_KEPT_LINE))}`;
    lines = lines.concat(parts.map(keep));
    if (lines.length > maxLines) lines = lines.slice(lines.length - maxLines);
  };

  const read = async (from: number, to: number): Promise<string> => {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(to - from);
      let got = 0;
      while (got < buffer.length) {
        const { bytesRead } = await handle.read(buffer, got, buffer.length - got, from + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return decoder.write(buffer.subarray(0, got));
    } finally {
      await handle.close();
    }
  };

  const snapshot = (): TailSnapshot => ({
    path,
    exists,
    deleted,
    lines: partial ? [...lines, partial] : lines,
    size: offset,
    skippedBytes,
    restarted,
    unterminated: partial !== '',
  });

  return {
    /** Reads what changed; resolves to true when the lines shown changed. */
    async poll(): Promise<boolean> {
      let info;
      try {
        info = await stat(path);
      } catch {
        // What a deleted file held stays on screen, said to be so; a new file of that name starts afresh.
        const changed = exists;
        deleted = deleted || exists;
        exists = false;
        return changed;
      }
      const replaced = !exists || info.ino !== ino || info.size < offset;
      if (replaced) {
        restarted = exists || deleted;
        exists = true;
        deleted = false;
        ino = info.ino;
        lines = [];
        partial = '';
        decoder = new StringDecoder('utf8');
        const start = Math.max(0, info.size - initialBytes);
        skippedBytes = start;
        // From the middle of a file, the first line is cut: it is dropped.
        push(await read(start, info.size), start > 0);
        offset = info.size;
        return true;
      }
      if (info.size === offset) return false;
      restarted = false;
      let from = offset;
      if (info.size - offset > maxChunk) {
        from = info.size - initialBytes;
        skippedBytes += from - offset;
        lines = [];
        partial = '';
        decoder = new StringDecoder('utf8');
        push(await read(from, info.size), true);
      } else push(await read(from, info.size), false);
      offset = info.size;
      return true;
    },
    snapshot,
  };
}

export type Tail = ReturnType<typeof createTail>;
