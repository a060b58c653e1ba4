import { errorMessage } from '../text/error-message.js';

/**
 * Where JSON.parse gave up, as a 1-based line, from its error message. Node 20 says "at
 * position N" for some errors and only quotes the text around the bad token for others.
 */
export function jsonErrorLine(text: string, error: unknown): number {
  const message = errorMessage(error);
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  const position = /at position (\d+)/.exec(message);
  if (position) return lineAt(Number(position[1]));
  const token = /^Unexpected token '(.)', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(message);
  if (token) {
    const [, ch = '', dots, snippet = ''] = token;
    const start = text.indexOf(snippet);
    const offset = snippet.indexOf(ch, dots ? 10 : 0);
    if (start >= 0 && offset >= 0) return lineAt(start + offset);
  }
  // "Unexpected end of JSON input": the file stops too early.
  return text.split('\n').length;
}

/** The parser's complaint without the quoted text and position (the line is given separately). */
export function jsonErrorReason(error: unknown): string {
  const message = errorMessage(error);
  return message.replace(/, (\.\.\.)?"[\s\S]*" is not valid JSON$/, '').replace(/ in JSON at position \d+.*$/, '');
}
