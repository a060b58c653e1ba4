import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { findCheckout, isCheckout, readCheckout, type Checkout } from '../checkout/detect.js';
import { createRedactor } from '../logs/redact.js';
import { secretValuesToRedact } from '../config/secrets.js';
import { configLocations, type ConfigLocations } from '../config/locations.js';
import type { Config } from '../config/schema.js';
import { describeInvalidConfig, loadConfigFile, overrideCheckout, type LoadedConfig } from '../config/config-file.js';
import { slurmClientsOnPath } from '../process/which.js';
import { preloadRunner } from '../process/run.js';
import type { DraftField } from '../setup/draft.js';
import { prepareSetup } from '../setup/prepare.js';
import { createSlurm, type Slurm } from '../slurm/adapter.js';
import { ledgerFile } from '../submit/ledger.js';
import { assembleTui } from '../app/assemble.js';
import { leaveScreen } from '../terminal/screen.js';
import type { runTui } from '../../components/run-tui.js';
import { configCommand } from './config-command.js';
import { resultsCommand } from './results-command.js';
import { cancelCommand, resubmitCommand, spendCommand, statusCommand } from './jobs-commands.js';
import { NEEDS_A_TERMINAL, NOT_A_LOGIN_NODE } from './messages.js';
import { overviewCommand } from './overview-command.js';
import { preflightCommand } from './preflight-command.js';
import { submitCommand } from './submit-command.js';
import { nonInteractiveSetup, SETUP_FLAGS } from './setup-command.js';

/** A mistake in what the user typed or configured: printed as is, without a stack trace. */
class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

interface GlobalOptions {
  checkout?: string;
  interval: number;
}

/** Prints what a subcommand produced and sets the exit code. */
function emit(result: { code: number; stdout: string; stderr: string }): void {
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}

function parseMinutes(value: string): number {
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new InvalidArgumentError('a number of minutes, more than 0.');
  return minutes;
}

/** An hour at most: beyond ~24 days Node's timers overflow and fire at once, hammering the controller. */
const MAX_INTERVAL_SECONDS = 3600;

function parseInterval(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 2 || seconds > MAX_INTERVAL_SECONDS) {
    throw new InvalidArgumentError(`the refresh interval is in seconds, at least 2 and at most ${MAX_INTERVAL_SECONDS}.`);
  }
  return seconds;
}

function notACheckout(option: string): string {
  const dir = resolve(option);
  return `--checkout ${dir === option ? dir : `${JSON.stringify(option)} (${dir})`} is not a PostTrainBench checkout: it has no src/run_task.sh and src/eval/tasks/.`;
}

/** --checkout (the preAction hook has refused a wrong one), else the configured checkout, else the one around the current directory. */
function resolveCheckout(option: string | undefined, loaded: LoadedConfig): Checkout | null {
  if (option !== undefined) {
    const checkout = readCheckout(resolve(option));
    return loaded.kind === 'ok' && loaded.config.checkout !== checkout.root ? { ...checkout, configured: loaded.config.checkout } : checkout;
  }
  if (loaded.kind === 'ok' && isCheckout(loaded.config.checkout)) return readCheckout(loaded.config.checkout);
  const found = findCheckout(process.cwd());
  return found ? readCheckout(found) : null;
}

/** Refuses to start anywhere Slurm's client tools are missing, with one paragraph on what to do. */
function requireSlurm(): void {
  if (!slurmClientsOnPath()) throw new UserError(NOT_A_LOGIN_NODE, 1);
}

/**
 * The configuration as this run uses it: `--checkout`, when given, stands for the configured
 * checkout, for every command (a user who points ptb at another checkout must never run the old
 * one), and the difference is said on stderr.
 */
function withCheckoutOption(config: Config, option: string | undefined): Config {
  const used = overrideCheckout(config, option);
  if (used.checkout !== config.checkout) process.stderr.write(`ptb: using the checkout ${used.checkout} (--checkout), not the configured ${config.checkout}\n`);
  return used;
}

/** The valid configuration, or a user error that says how to get one (`why`: what it is needed for). */
function requireConfig(locations: ConfigLocations, why?: string) {
  const loaded = loadConfigFile(locations.config);
  if (loaded.kind === 'missing') throw new UserError(`no configuration yet (${locations.config}): run \`ptb setup\` first${why ? `; ${why}` : ''}.`, 1);
  if (loaded.kind === 'invalid') throw new UserError(describeInvalidConfig(loaded), 1);
  return loaded.config;
}

function requireTerminal(): void {
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UserError(NEEDS_A_TERMINAL, 2);
}

/**
 * The TUI's modules, loaded without CI or CONTINUOUS_INTEGRATION in the environment: Ink then draws
 * only its last frame and chalk no style at all (no selection, no colour), as they read it as they load.
 * The TUI runs only in a terminal (requireTerminal), where neither is meant.
 */
async function loadTui(): Promise<{ runTui: typeof runTui }> {
  const saved = (['CI', 'CONTINUOUS_INTEGRATION'] as const).map((name) => [name, process.env[name]] as const);
  for (const [name] of saved) delete process.env[name];
  try {
    return await import('../../components/run-tui.js');
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

/** The full-screen app: overview, or the wizard first when there is no valid configuration yet. */
async function openTui(options: { locations: ConfigLocations; slurm: Slurm; checkoutOption: string | undefined; interval: number; setupOnly: boolean }) {
  // Ink instantiates its layout engine asynchronously: start that first, prepare the rest meanwhile.
  const tui = loadTui();
  preloadRunner();
  const checkout = resolveCheckout(options.checkoutOption, loadConfigFile(options.locations.config));
  const parts = await assembleTui({ ...options, checkout, ledgerFile: ledgerFile() });
  const { runTui } = await tui;
  await runTui({ ...parts, version: pkg.version });
}

function buildProgram(): Command {
  const program = new Command();
  const locations = configLocations();
  const globals = () => program.opts<GlobalOptions>();
  program
    .name('ptb')
    .description('Reproduce PostTrainBench on a Slurm cluster: run it on the login node.')
    .version(pkg.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .option('--checkout <dir>', 'the PostTrainBench checkout (default: the configured one, else found from the current directory upwards)')
    .option('--interval <seconds>', 'how often the screen asks Slurm, in seconds (at least 2)', parseInterval, 5)
    .showHelpAfterError()
    .allowExcessArguments()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) })
    // Every command refuses a wrong checkout, those that do not use it too (not silently ignored);
    // `setup --non-interactive` lists it with its other problems.
    .hook('preAction', (_program, action) => {
      const option = globals().checkout;
      const listsItself = action.name() === 'setup' && action.opts<{ nonInteractive?: boolean }>().nonInteractive === true;
      if (option !== undefined && !listsItself && !isCheckout(resolve(option))) throw new UserError(notACheckout(option), 2);
    })
    .action(async () => {
      if (program.args.length > 0) program.error(`error: unknown command '${program.args[0] ?? ''}'`);
      requireSlurm();
      requireTerminal();
      await openTui({ locations, slurm: createSlurm(), checkoutOption: globals().checkout, interval: globals().interval, setupOnly: false });
    });

  program
    .command('overview')
    .description('print the cluster overview (partitions, GPUs, your jobs) once')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const checkout = resolveCheckout(globals().checkout, loadConfigFile(locations.config));
      requireSlurm();
      process.exitCode = await overviewCommand(createSlurm(), checkout, { json: options.json === true });
    });

  const setup = program
    .command('setup')
    .description('create or edit the configuration (a guided wizard; --non-interactive for scripts)')
    .option('--non-interactive', 'fill the configuration from flags, the environment and defaults, without questions');
  for (const f of SETUP_FLAGS) setup.option(`--${f.flag} <value>`, f.description);
  setup.action(async (options: Record<string, string | boolean | undefined>) => {
    requireSlurm();
    const slurm = createSlurm();
    if (options.nonInteractive !== true) {
      requireTerminal();
      await openTui({ locations, slurm, checkoutOption: globals().checkout, interval: globals().interval, setupOnly: true });
      return;
    }
    const loaded = loadConfigFile(locations.config);
    if (loaded.kind === 'invalid') throw new UserError(`${describeInvalidConfig(loaded)}\nFix it, or move it away to start from the defaults.`, 1);
    const checkoutOption = globals().checkout;
    const prepared = await prepareSetup({
      locations,
      env: process.env,
      cwd: checkoutOption ? resolve(checkoutOption) : process.cwd(),
      slurm,
      from: loaded.kind === 'ok' ? loaded.config : null,
    });
    const values: Partial<Record<DraftField, string>> = {};
    if (checkoutOption !== undefined) values.checkout = resolve(checkoutOption);
    for (const f of SETUP_FLAGS) {
      const camel = f.flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
      const value = options[camel];
      if (typeof value === 'string') values[f.field] = value;
    }
    emit(nonInteractiveSetup(locations, prepared, values, process.env));
  });

  program
    .command('preflight')
    .description('check everything a PostTrainBench job needs, before submitting one (exit 1 when a check fails)')
    .option('--compute', 'also check a compute node, with a short probe job in the configured partition')
    .option('--max-wait <minutes>', 'give up on (and cancel) a probe job still pending after this long', parseMinutes, 30)
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean; compute?: boolean; maxWait: number }) => {
      requireSlurm();
      const loaded = { config: withCheckoutOption(requireConfig(locations), globals().checkout) };
      emit(
        await preflightCommand(createSlurm(), loaded.config, locations, {
          json: options.json === true,
          compute: options.compute === true,
          maxWaitMinutes: options.maxWait,
        }),
      );
    });

  program
    .command('submit')
    .description('submit a plan (a YAML or JSON file: models, evals, agentConfigs, hours; w in the composer saves one), never twice')
    .requiredOption('--plan <file>', 'the plan file')
    .option('--dry-run', 'check every task with sbatch --test-only; submit nothing')
    .option('--yes', 'do not ask for confirmation')
    .option('--force', 'submit tasks even when their job is already queued or they already scored')
    .option('--array', "one job array per agent (one sbatch call each; the agent's throttle as %N)")
    .option('--ignore-preflight', 'submit although the compute preflight failed or has not run for this setup (--yes alone does not)')
    .action(async (options: { plan: string; dryRun?: boolean; yes?: boolean; force?: boolean; array?: boolean; ignorePreflight?: boolean }) => {
      if (options.plan.trim() === '') throw new UserError('--plan is empty: name a plan file (YAML, or JSON when it ends in .json).', 2);
      requireSlurm();
      const loaded = { config: withCheckoutOption(requireConfig(locations), globals().checkout) };
      emit(
        await submitCommand(createSlurm(), loaded.config, locations, ledgerFile(), {
          plan: options.plan,
          dryRun: options.dryRun === true,
          yes: options.yes === true,
          force: options.force === true,
          array: options.array === true,
          ignorePreflight: options.ignorePreflight === true,
        }),
      );
    });

  program
    .command('status')
    .description("ptb's jobs: the queue and their history, with final states and diagnoses")
    .option('--json', 'machine-readable output')
    .option('--watch', 'again every --interval seconds, until ctrl+c')
    .option('--notify', 'with --watch: a bell and a desktop notification (OSC 9 / 777) when a job ends, fails or is requeued')
    .action(async (options: { json?: boolean; watch?: boolean; notify?: boolean }) => {
      if (options.notify && !options.watch) throw new UserError('--notify goes with --watch: it tells of what changes between looks.', 2);
      requireSlurm();
      const loaded = loadConfigFile(locations.config);
      // A broken configuration is never taken for none: that would list every setup's jobs as this one's.
      if (loaded.kind === 'invalid') throw new UserError(describeInvalidConfig(loaded), 1);
      emit(
        await statusCommand(createSlurm(), ledgerFile(), loaded.kind === 'ok' ? loaded.config : null, {
          json: options.json === true,
          watch: options.watch === true,
          notify: options.notify === true,
          intervalSeconds: globals().interval,
          redactor: () => createRedactor(secretValuesToRedact(locations.secrets)),
          configFile: locations.config,
        }),
      );
    });

  program
    .command('spend')
    .description("what this setup's jobs have cost: GPU-hours and API spend, per experiment and agent configuration")
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      requireSlurm();
      const loaded = loadConfigFile(locations.config);
      if (loaded.kind !== 'ok')
        throw new UserError(loaded.kind === 'invalid' ? describeInvalidConfig(loaded) : `no configuration at ${locations.config}: run \`ptb setup\` first.`, 1);
      emit(
        await spendCommand(createSlurm(), ledgerFile(), loaded.config, {
          json: options.json === true,
          redactor: () => createRedactor(secretValuesToRedact(locations.secrets)),
        }),
      );
    });

  program
    .command('cancel')
    .description('cancel ptb jobs by job id (1234, 1230_4) or task key')
    .argument('<job-or-task...>', 'job ids or task keys')
    .option('--yes', 'do not ask for confirmation')
    .action(async (names: string[], options: { yes?: boolean }) => {
      requireSlurm();
      emit(
        await cancelCommand(
          createSlurm(),
          requireConfig(locations, 'ptb cancels only the jobs of its setup (scancel cancels any of yours)'),
          ledgerFile(),
          names,
          { yes: options.yes === true },
        ),
      );
    });

  program
    .command('resubmit')
    .description('resubmit finished jobs without a score (failed, cancelled, timed out, or completed with nothing scored) as new jobs of the same tasks')
    .argument('[job...]', 'job ids (1234, 1230_4) or task keys')
    .option('--failed', 'every failed job not resubmitted yet, each with the cheapest rerun that fixes it')
    .option('--eval-only', "evaluate the run's saved model again, without running the agent (upstream's run_only_evaluation.sh)")
    .option('--judge-only', "run the judges again on the run's trace, without agent or evaluation (upstream's run_judge.sh, v1.1 and qol)")
    .option('--ignore-preflight', 'resubmit although the compute preflight failed or has not run for this setup (--yes alone does not)')
    .option('--yes', 'do not ask for confirmation')
    .action(async (names: string[], options: { failed?: boolean; evalOnly?: boolean; judgeOnly?: boolean; yes?: boolean; ignorePreflight?: boolean }) => {
      requireSlurm();
      const loaded = { config: requireConfig(locations) };
      const option = globals().checkout;
      // A resubmission runs a job's task again where it ran: ptb's ledger does not say which checkout that was.
      if (option !== undefined && resolve(option) !== loaded.config.checkout) {
        throw new UserError(
          `resubmit runs failed jobs again from the configured checkout ${loaded.config.checkout}, not from --checkout ${resolve(option)}: drop --checkout, or configure that checkout with \`ptb setup\` first.`,
          2,
        );
      }
      emit(
        await resubmitCommand(createSlurm(), loaded.config, locations, ledgerFile(), names, {
          failed: options.failed === true,
          yes: options.yes === true,
          evalOnly: options.evalOnly === true,
          judgeOnly: options.judgeOnly === true,
          ignorePreflight: options.ignorePreflight === true,
        }),
      );
    });

  program
    .command('results')
    .description('scores of the latest run per method, eval and model, with weighted averages (upstream weights)')
    .option('--json', 'machine-readable output')
    .option('--csv', 'one row per run, as CSV')
    .option('--markdown', 'one table per method, as Markdown')
    .action((options: { json?: boolean; csv?: boolean; markdown?: boolean }) => {
      const chosen = [options.json && 'json', options.csv && 'csv', options.markdown && 'markdown'].filter(
        (f): f is 'json' | 'csv' | 'markdown' => typeof f === 'string',
      );
      if (chosen.length > 1) return emit({ code: 2, stdout: '', stderr: 'ptb: choose one of --json, --csv, --markdown.\n' });
      emit(resultsCommand(withCheckoutOption(requireConfig(locations), globals().checkout), { format: chosen[0] ?? 'text' }));
    });

  const config = program
    .command('config')
    .description('print the effective configuration (keys masked)')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) => {
      const option = globals().checkout;
      emit(configCommand(locations, { json: options.json === true, checkout: option === undefined ? undefined : resolve(option) }));
    });
  config
    .command('path')
    .description('print where the configuration file is')
    .action(() => {
      process.stdout.write(`${locations.config}\n`);
    });

  return program;
}

/** Runs ptb with `argv` (user arguments only) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof UserError) {
      leaveScreen();
      process.stderr.write(`ptb: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
