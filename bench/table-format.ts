// Number and row formatting shared by the vocoder bench's tables.

/** `x` with `digits` decimals, or n/a when it is not a finite number. */
export const fmt = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** Cells padded to their column widths (10 where a width is missing), space-separated. */
export const row = (cells: string[], widths: number[]): string =>
  cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join(' ');
