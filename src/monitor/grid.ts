import Fuse from 'fuse.js';
import { formatDuration } from '../slurm/duration.js';
import { stateFamily, type StateFamily } from '../slurm/state-family.js';
import type { ColumnSpec } from '../text/columns.js';
import type { PtbJob } from './ptb-job.js';

/** The quick state filters: all, or one family of states. */
export const QUICK_FILTERS = ['all', 'running', 'pending', 'failed', 'done'] as const satisfies readonly ('all' | StateFamily)[];
export type QuickFilter = (typeof QUICK_FILTERS)[number];

export const SORT_KEYS = ['state', 'time', 'eval', 'model'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

const FAMILY_ORDER = { running: 0, pending: 1, failed: 2, other: 3, done: 4 } as const;

export type MonitorColumn = 'id' | 'state' | 'eval' | 'model' | 'config' | 'time' | 'where' | 'diagnosis';

/** Priorities decide what an 80-column terminal drops first: the diagnosis, then the times. */
export const MONITOR_COLUMNS: readonly ColumnSpec<MonitorColumn>[] = [
  { key: 'id', title: 'JOB', min: 8, max: 9, priority: 0 },
  { key: 'state', title: 'STATE', min: 9, max: 10, priority: 0 },
  { key: 'eval', title: 'EVAL', min: 8, max: 10, priority: 0 },
  { key: 'model', title: 'MODEL', min: 10, max: 15, priority: 0 },
  { key: 'config', title: 'AGENT CONFIG', min: 20, max: 40, priority: 0 },
  { key: 'where', title: 'NODE/REASON', min: 10, max: 24, priority: 1 },
  { key: 'time', title: 'ELAPSED/LIMIT', min: 15, max: 21, priority: 2 },
  { key: 'diagnosis', title: 'DIAGNOSIS', min: 20, max: 80, priority: 3 },
];

/** A display row: a job, or (grouped) the header of a job array. */
export type GridRow = { kind: 'job'; job: PtbJob; indent: boolean } | { kind: 'array'; arrayJobId: number; jobs: PtbJob[] };

/** `claude-sonnet-4-5 1h` (the agent is in the config's name), `claude_non_api/claude-opus-4-6 10h`. */
const configOf = (job: PtbJob): string => {
  const t = job.task;
  if (!t) return job.name;
  if (t.kind === 'baseline') return 'baseline';
  if (t.kind === 'container-test') return `container test ${t.config}`;
  const name = t.config.includes(t.agent) ? t.config : `${t.agent}/${t.config}`;
  const rerun = t.kind === 'eval-only' ? ' eval only' : t.kind === 'judge-only' ? ' judges only' : '';
  return `${name} ${t.hours}h${t.gpus > 1 ? ` x${t.gpus}` : ''}${rerun}`;
};

/**
 * The cells of a row. Without a diagnosis column (narrow terminals), a finished job's
 * diagnosis takes the place of its node: what went wrong matters more than where.
 */
export function monitorCells(row: GridRow, diagnosisColumn = true): Record<MonitorColumn, string> {
  if (row.kind === 'array') {
    const counts = stateCounts(row.jobs);
    const first = row.jobs[0];
    return {
      id: `${row.arrayJobId}_*`,
      state: 'ARRAY',
      eval: '',
      model: '',
      config: first ? configOf(first) : '',
      time: '',
      where: counts,
      diagnosis: `${row.jobs.length} task(s)`,
    };
  }
  const job = row.job;
  const limit = job.limitSeconds === undefined ? 'invalid' : job.limitSeconds === null ? '' : formatDuration(job.limitSeconds);
  const diagnosis = job.diagnosis ?? (job.resubmittedAs ? `resubmitted as ${job.resubmittedAs}` : '');
  const where = job.state === 'PENDING' ? `(${job.reason ?? 'None'})` : !diagnosisColumn && !job.inQueue && diagnosis ? diagnosis : (job.node ?? '');
  return {
    id: `${row.indent ? ' ' : ''}${job.id}`,
    state: job.state,
    eval: job.task?.eval || '-',
    model: job.task?.model.split('/').pop() || '-',
    config: configOf(job),
    time: `${formatDuration(job.elapsedSeconds)}${limit ? `/${limit}` : ''}`,
    where,
    diagnosis,
  };
}

// One text per job, what its row shows and the task behind it: `gsm8k qwen` finds the gsm8k runs of
// the Qwen models, words in any order, each fuzzy (`'word` exact, `!word` excluded: Fuse's extended
// search). The grid sorts what it finds, so Fuse's ranking is not asked for.
const FUZZY = { threshold: 0.35, ignoreLocation: true, useExtendedSearch: true, shouldSort: false, keys: ['text'] };

type Searched = { job: PtbJob; text: string };
// A job object is the same until the job changes (the tracker keeps unchanged rows): its text once.
const searchTexts = new WeakMap<PtbJob, Searched>();
const searched = (job: PtbJob): Searched => {
  let doc = searchTexts.get(job);
  if (!doc) {
    const t = job.task;
    const words = [job.id, job.state, t?.eval, t?.model, t?.agent, configOf(job), job.node, job.reason, job.diagnosis];
    doc = { job, text: words.filter(Boolean).join(' ') };
    searchTexts.set(job, doc);
  }
  return doc;
};

/** Jobs per step of a search: each step takes a few milliseconds, what a key typed meanwhile waits at most. */
export const SEARCH_STEP = 500;

/**
 * The jobs a quick filter keeps, and their fuzzy indexes (one per step of jobs, built on first use):
 * kept while the jobs and the quick filter stay the same (the tracker hands out the same list while
 * nothing changed), so each key typed in a filter searches the indexes instead of building them again.
 * Fuse scores a job by its own text alone, so searching the steps apart finds what one index would.
 */
let indexed: { jobs: readonly PtbJob[]; quick: QuickFilter; kept: PtbJob[]; steps: (Fuse<Searched> | undefined)[] } | null = null;

/** The search of {@link filterJobs} in steps of SEARCH_STEP jobs, yielding between steps; returns what it found. */
export function* filterSteps(jobs: readonly PtbJob[], quick: QuickFilter, query: string): Generator<void, PtbJob[]> {
  if (indexed?.jobs !== jobs || indexed.quick !== quick) {
    indexed = { jobs, quick, kept: quick === 'all' ? [...jobs] : jobs.filter((j) => stateFamily(j.state) === quick), steps: [] };
  }
  const index = indexed;
  const q = query.trim();
  if (q === '') return [...index.kept];
  // A job id is looked up exactly: 1649 must not bring 1646 and 1648 along.
  if (/^\d+(_\d*)?$/.test(q)) return index.kept.filter((j) => j.id === q || j.id.startsWith(q.includes('_') ? q : `${q}_`) || String(j.ownId) === q);
  const found: PtbJob[] = [];
  for (let step = 0; step * SEARCH_STEP < index.kept.length; step++) {
    if (step > 0) yield;
    const fuse = (index.steps[step] ??= new Fuse(index.kept.slice(step * SEARCH_STEP, (step + 1) * SEARCH_STEP).map(searched), FUZZY));
    for (const r of fuse.search(q)) found.push(r.item.job);
  }
  return found;
}

/** The jobs a quick filter and a fuzzy query keep (over what each row shows, its task and the job id). */
export function filterJobs(jobs: readonly PtbJob[], quick: QuickFilter, query: string): PtbJob[] {
  const steps = filterSteps(jobs, quick, query);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

const idNumber = (job: PtbJob): number => job.arrayJobId ?? job.ownId ?? 0;

export function sortJobs(jobs: readonly PtbJob[], key: SortKey): PtbJob[] {
  const byId = (a: PtbJob, b: PtbJob) => idNumber(b) - idNumber(a) || (a.arrayIndex ?? 0) - (b.arrayIndex ?? 0);
  const text = (f: (j: PtbJob) => string) => (a: PtbJob, b: PtbJob) => f(a).localeCompare(f(b)) || byId(a, b);
  const compare = {
    state: (a: PtbJob, b: PtbJob) => FAMILY_ORDER[stateFamily(a.state)] - FAMILY_ORDER[stateFamily(b.state)] || byId(a, b),
    time: byId,
    eval: text((j) => j.task?.eval ?? ''),
    model: text((j) => j.task?.model ?? ''),
  }[key];
  return [...jobs].sort(compare);
}

/** Rows for the grid: grouped, the tasks of an array follow their array's header, at its first task's place. */
export function gridRows(jobs: readonly PtbJob[], group: boolean): GridRow[] {
  if (!group) return jobs.map((job) => ({ kind: 'job', job, indent: false }));
  const arrays = new Map<number, PtbJob[]>();
  for (const j of jobs) if (j.arrayJobId !== null) arrays.set(j.arrayJobId, [...(arrays.get(j.arrayJobId) ?? []), j]);
  const rows: GridRow[] = [];
  const done = new Set<number>();
  for (const job of jobs) {
    if (job.arrayJobId === null) rows.push({ kind: 'job', job, indent: false });
    else if (!done.has(job.arrayJobId)) {
      done.add(job.arrayJobId);
      const members = arrays.get(job.arrayJobId) ?? [];
      rows.push({ kind: 'array', arrayJobId: job.arrayJobId, jobs: members }, ...members.map((m): GridRow => ({ kind: 'job', job: m, indent: true })));
    }
  }
  return rows;
}

/** `2 running, 3 pending, 1 failed, 10 done`: only the families present. */
export function stateCounts(jobs: readonly PtbJob[]): string {
  const counts = new Map<string, number>();
  for (const j of jobs) counts.set(stateFamily(j.state), (counts.get(stateFamily(j.state)) ?? 0) + 1);
  return (['running', 'pending', 'failed', 'other', 'done'] as const)
    .filter((f) => counts.has(f))
    .map((f) => `${counts.get(f)} ${f === 'other' ? 'ended/cancelled' : f}`)
    .join(', ');
}

/** The grid's jobs in order: filtered, sorted, grouped. */
export function visibleRows(jobs: readonly PtbJob[], view: { quick: QuickFilter; filter: string; sort: SortKey; groupArrays: boolean }): GridRow[] {
  return rowsOf(filterJobs(jobs, view.quick, view.filter), view);
}

/** The rows of the jobs a filter found: sorted, grouped. */
export const rowsOf = (found: readonly PtbJob[], view: { sort: SortKey; groupArrays: boolean }): GridRow[] =>
  gridRows(sortJobs(found, view.sort), view.groupArrays);

/** The job of a row (an array header: none). */
export const rowJob = (row: GridRow | undefined): PtbJob | undefined => (row?.kind === 'job' ? row.job : undefined);

/** The row id the selection follows across refreshes. */
export const rowId = (row: GridRow): string => (row.kind === 'job' ? row.job.id : `array:${row.arrayJobId}`);

/**
 * The jobs an action takes: the marked ones (shown or hidden by a filter: the mark was deliberate,
 * and the confirmation names them all), else the selected row's (an array header: its tasks).
 */
export function actionTargets(rows: readonly GridRow[], marked: readonly string[], selectedId: string | null, all: readonly PtbJob[] = []): PtbJob[] {
  if (marked.length > 0) {
    const chosen = new Set(marked);
    return [...new Map([...all, ...rows.flatMap((r) => (r.kind === 'job' ? [r.job] : []))].map((j) => [j.id, j])).values()].filter((j) => chosen.has(j.id));
  }
  // No selection yet (or it was filtered away): the first row is the one shown selected.
  const selected = rows.find((r) => rowId(r) === selectedId) ?? rows[0];
  return selected?.kind === 'array' ? selected.jobs : selected ? [selected.job] : [];
}
