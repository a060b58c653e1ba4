/** Where a run is, from the banners run_task.sh prints into output.log (posttrainbench.md 2.3). */
export type RunPhase = 'preparing' | 'agent running' | 'parsing trace' | 'judge' | 'cleaning up' | 'evaluating' | 'done';

const BANNERS: [RegExp, RunPhase][] = [
  [/^Preparing job directory/, 'preparing'],
  [/^=+ RUNNING TASK =+/, 'agent running'],
  [/^=+ TASK COMPLETE, PARSING AGENT TRACE =+/, 'parsing trace'],
  [/^=+ RUNNING CONTAMINATION JUDGE =+/, 'judge'],
  [/^=+ CLEANING UP =+/, 'cleaning up'],
  [/^=+ EVALUATING =+/, 'evaluating'],
  [/^=+ EVALUATION DONE =+/, 'done'],
];

/** The last phase the lines reached, with the evaluation attempt when there is one. */
export function runPhase(lines: readonly string[]): string | null {
  let phase: string | null = null;
  for (const line of lines) {
    const banner = BANNERS.find(([re]) => re.test(line.trim()));
    if (banner) phase = banner[1];
    const attempt = /^Evaluation attempt (\d+)/.exec(line);
    if (attempt && phase?.startsWith('evaluating')) phase = `evaluating, attempt ${attempt[1]}`;
  }
  return phase;
}

/** `agent silent for 47 min` once solve_out.txt has not grown for a while (a hung agent burns its budget). */
export function silence(lastWrite: Date | null, now: Date, thresholdMinutes = 10): string | null {
  if (!lastWrite) return null;
  const minutes = Math.floor((now.getTime() - lastWrite.getTime()) / 60_000);
  return minutes >= thresholdMinutes ? `agent silent for ${minutes} min` : null;
}
