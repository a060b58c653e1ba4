/** Single-quotes a value for bash: whatever it contains (`$`, quotes, spaces, `[1m]`), bash reads it back unchanged. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A word as a shell reads it back: bare where it holds nothing a shell minds, quoted otherwise. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : shellQuote(value);
}
