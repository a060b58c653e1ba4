// What the benchmarks compute over their runs.

/** The value at quantile `q` (0.5: the median, 0.9: p90) of the runs' figures. */
export const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

export const median = (xs) => quantile(xs, 0.5);
