import { createInterface } from 'node:readline/promises';
import { isCheckout, readCheckout } from '../checkout/detect.js';
import { knownTo } from '../plan/plan.js';
import type { ConfigLocations } from '../config/locations.js';
import type { Config } from '../config/schema.js';
import { readSecrets } from '../config/secrets.js';
import { preparePlan } from '../submit/prepare.js';
import { preflightGate } from '../preflight/last-compute.js';
import { readPlanFile } from '../plan/plan.js';
import { describeTask } from '../plan/task.js';
import type { Slurm } from '../slurm/adapter.js';
import { describeHolder } from '../submit/submit-lock.js';
import { describeSkip, jobLabel, submitTasks, type TaskOutcome } from '../submit/submit-tasks.js';

type Output = { code: number; stdout: string; stderr: string };
const refuse = (code: number, message: string): Output => ({ code, stdout: '', stderr: `ptb: ${message}\n` });

function outcomeLine(o: TaskOutcome, index: number, total: number): string {
  const head = `[${index + 1}/${total}] ${describeTask(o.task)}`;
  switch (o.status) {
    case 'submitted':
      return `${head}: submitted, job ${jobLabel(o.jobId, o.arrayIndex)}`;
    case 'skipped':
      return `${head}: skipped, ${describeSkip(o)}`;
    case 'checked':
      return `${head}: Slurm would accept it${o.startTime ? ` (start estimate ${o.startTime})` : ''}`;
    case 'failed':
      return `${head}: FAILED: ${o.message}`;
  }
}

/** `ptb submit --plan FILE [--dry-run] [--yes] [--force]`. */
export async function submitCommand(
  slurm: Slurm,
  config: Config,
  locations: ConfigLocations,
  ledgerFile: string,
  options: { plan: string; dryRun: boolean; yes: boolean; force: boolean; array: boolean; ignorePreflight?: boolean },
): Promise<Output> {
  const read = await readPlanFile(options.plan);
  if (!read.ok) return refuse(2, `the plan was not read:\n  ${read.problems.join('\n  ')}`);
  if (!isCheckout(config.checkout)) return refuse(1, `${config.checkout} is not a PostTrainBench checkout: run \`ptb setup\`.`);
  const checkout = readCheckout(config.checkout);
  const secrets = readSecrets(locations.secrets);
  const storedKeys = secrets.kind === 'ok' ? Object.keys(secrets.values).filter((k) => secrets.values[k]) : [];
  // sinfo's answer only adds a check: when it fails, sbatch still answers for itself.
  const partitions = await slurm.partitions();
  const prepared = preparePlan(read.plan, {
    config,
    checkout,
    vocabulary: knownTo(config, checkout),
    storedKeys,
    secretsFile: locations.secrets,
    secretsProblem: null,
    partitions: partitions.ok ? partitions.value.partitions : null,
    arrays: options.array,
  });
  if (!prepared.ok) return refuse(2, `the plan ${options.plan} cannot run:\n  ${prepared.problems.join('\n  ')}`);
  const { tasks, summary } = prepared;
  for (const note of prepared.notes) process.stderr.write(`ptb: note: ${note}\n`);
  if (prepared.estimate) process.stderr.write(`ptb: ${prepared.estimate.join('\nptb: ')}\n`);
  if (secrets.kind === 'insecure' || secrets.kind === 'invalid') return refuse(1, secrets.message);
  if (prepared.blockers.length > 0) return refuse(1, `blocked, nothing submitted:\n  ${prepared.blockers.join('\n  ')}`);

  // GPU-hours wait on a compute preflight that passed for this setup; a container test is itself such a check.
  const gate =
    !options.dryRun && tasks.some((t) => t.kind !== 'container-test')
      ? preflightGate(config, 'submit', options.ignorePreflight === true)
      : { note: null, ask: null, refusal: null };
  if (gate.note) process.stderr.write(`ptb: note: ${gate.note}\n`);
  if (!options.dryRun && (!options.yes || gate.ask)) {
    if (!process.stdin.isTTY) {
      if (gate.refusal) return refuse(1, gate.refusal);
      return refuse(2, `${summary}: add --yes to submit without a question, or --dry-run to check only.`);
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`${gate.ask ? `Warning: ${gate.ask}.\n` : ''}Submit ${summary}${gate.ask ? ' anyway' : ''}? [y/N] `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) return { code: 1, stdout: '', stderr: 'Nothing submitted.\n' };
  }
  process.stderr.write(`${options.dryRun ? 'Checking' : 'Submitting'} ${summary}\n`);
  const result = await submitTasks(slurm, config, tasks, {
    ledgerFile,
    secretsFile: locations.secrets,
    dryRun: options.dryRun,
    force: options.force,
    array: options.array,
    what: `ptb submit --plan ${options.plan}`,
    onWaiting: (holder) => process.stderr.write(`ptb: waiting: ${describeHolder(holder)} (its jobs will then be skipped here)\n`),
    onOutcome: (o, i) => process.stderr.write(`${outcomeLine(o, i, tasks.length)}\n`),
  });
  const count = (status: TaskOutcome['status']) => result.outcomes.filter((o) => o.status === status).length;
  const totals = options.dryRun
    ? `${count('checked')} checked with sbatch --test-only, ${count('skipped')} skipped, nothing submitted`
    : `${count('submitted')} submitted, ${count('skipped')} skipped`;
  if (result.stopped) return { code: 1, stdout: `${totals}\n`, stderr: `ptb: stopped: ${result.stopped}\n` };
  return { code: 0, stdout: `${totals}\n`, stderr: '' };
}
