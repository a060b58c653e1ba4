/** Single-quotes a value for bash: whatever it contains (`$`, quotes, spaces, `[1m]`), bash reads it back unchanged. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
