/** The smallest terminal ptb draws in; below it, it says so and waits. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

/** The terminal's size, and the screen's body within it (under the header, above the status bar and footer). */
export interface Layout {
  columns: number;
  rows: number;
}

export const tooSmall = ({ columns, rows }: Layout): boolean => columns < MIN_COLUMNS || rows < MIN_ROWS;

/** Too small, the screens stay laid out at the minimum size (hidden): what they hold survives. */
export function body({ columns, rows }: Layout): { width: number; height: number } {
  return { width: Math.max(columns, MIN_COLUMNS) - 1, height: Math.max(rows, MIN_ROWS) - 5 };
}
