import { basename, dirname } from 'node:path';
import { errorMessage } from '../text/error-message.js';

const CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'over your disk quota',
  ENOENT: 'a folder on the way does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way',
};

/**
 * A file system error as the user can act on it: the folder ptb could not write in and why,
 * never the name of a temporary file they have never heard of (`.secrets.env.4242.ab12.tmp`).
 */
export function describeWriteError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const cause = (e.code && CAUSES[e.code]) ?? errorMessage(error);
  if (!e.path) return cause;
  if (e.syscall === 'mkdir') return `cannot create the folder ${e.path}: ${cause}`;
  // A temp file's name is ptb's business: the folder is what the user can fix.
  return `cannot write in ${/^\..*\.tmp$/.test(basename(e.path)) ? dirname(e.path) : e.path}: ${cause}`;
}
