/**
 * Reading upstream's shell scripts as text, closely enough that a name in a comment is not taken
 * for a use of it, and a heredoc's body (a config file, a prompt) is told apart from commands.
 */

/** Where a heredoc starts on a line of code: `<<EOF`, `<<-'JSON'`, `<< "X"` (not a `<<<` here-string). */
const HEREDOC = /(?<!<)<<(?!<)(-?)[ \t]*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/;

/**
 * A line's code before its comment: a `#` that starts a word outside quotes (not `${#X}`, `$#`
 * or `a#b`). Returns the quote still open at the end, for a string that goes on to the next line.
 */
function codeOf(line: string, open: '"' | "'" | null): { code: string; open: '"' | "'" | null } {
  let quote = open;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
    } else if (c === '\\') {
      i++;
    } else if (quote === '"') {
      if (c === '"') quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /[\s;&|()]/.test(line[i - 1] ?? ''))) {
      return { code: line.slice(0, i), open: null };
    }
  }
  return { code: line, open: quote };
}

/**
 * The script's lines as code: comments cut (to spaces, so that both forms line up), and each
 * heredoc's body kept as it is (`keep`) or blanked to spaces (`blank`).
 */
function shellLines(script: string, heredocs: 'keep' | 'blank'): string {
  const out: string[] = [];
  let body: { word: string; dash: boolean } | null = null;
  let open: '"' | "'" | null = null;
  for (const line of script.split('\n')) {
    if (body) {
      const ends = (body.dash ? line.replace(/^\t+/, '') : line) === body.word;
      out.push(heredocs === 'keep' || ends ? line : ' '.repeat(line.length));
      if (ends) body = null;
      continue;
    }
    const cut = codeOf(line, open);
    open = cut.open;
    out.push(cut.code.padEnd(line.length));
    const m = open ? null : HEREDOC.exec(cut.code);
    if (m?.[3]) body = { word: m[3], dash: m[1] === '-' };
  }
  return out.join('\n');
}

/** A shell script without its comments; heredoc bodies are kept (opencode.json's `{env:X}` is a use). */
export const withoutComments = (script: string): string => shellLines(script, 'keep');

/**
 * A script as code, two ways that line up character for character: `commands` without heredoc
 * bodies, `withBodies` with them; continued lines (`\` at the end) joined in both.
 */
export function scriptCode(script: string): { commands: string; withBodies: string } {
  const join = (text: string) => text.replace(/\\\n/g, '  ');
  return { commands: join(shellLines(script, 'blank')), withBodies: join(shellLines(script, 'keep')) };
}
