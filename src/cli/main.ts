import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { findCheckout, isCheckout, readCheckout, type Checkout } from '../checkout/detect.js';
import { loadOverview } from '../cluster/overview.js';
import { startOverviewPoller } from '../cluster/overview-poller.js';
import { onPath } from '../process/which.js';
import { createSlurm } from '../slurm/adapter.js';
import { createAppStore } from '../store/app-store.js';
import { NEEDS_A_TERMINAL, NOT_A_LOGIN_NODE } from './messages.js';
import { overviewCommand } from './overview-command.js';

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

function parseInterval(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 2) throw new InvalidArgumentError('the refresh interval is in seconds, at least 2.');
  return seconds;
}

function resolveCheckout(option: string | undefined): Checkout | null {
  if (option !== undefined) {
    const dir = resolve(option);
    if (!isCheckout(dir)) throw new UserError(`${dir} is not a PostTrainBench checkout: it has no src/run_task.sh and src/eval/tasks/.`, 2);
    return readCheckout(dir);
  }
  const found = findCheckout(process.cwd());
  return found ? readCheckout(found) : null;
}

/** Refuses to start anywhere Slurm's client tools are missing, with one paragraph on what to do. */
function requireSlurm(): void {
  if (!['sinfo', 'squeue', 'sbatch'].every((command) => onPath(command))) throw new UserError(NOT_A_LOGIN_NODE, 1);
}

function buildProgram(): Command {
  const program = new Command();
  program
    .name('ptb')
    .description('Reproduce PostTrainBench on a Slurm cluster: run it on the login node.')
    .version(pkg.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .option('--checkout <dir>', 'the PostTrainBench checkout (default: found from the current directory upwards)')
    .option('--interval <seconds>', 'how often the screen asks Slurm, in seconds (at least 2)', parseInterval, 5)
    .showHelpAfterError()
    .allowExcessArguments()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) })
    .action(async () => {
      if (program.args.length > 0) program.error(`error: unknown command '${program.args[0] ?? ''}'`);
      const options = program.opts<GlobalOptions>();
      const checkout = resolveCheckout(options.checkout);
      requireSlurm();
      if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UserError(NEEDS_A_TERMINAL, 2);
      // Ink instantiates its layout engine asynchronously: start that first, prepare the rest meanwhile.
      const tui = import('../../components/run-tui.js');
      const slurm = createSlurm();
      const store = createAppStore({ checkout });
      const { runTui } = await tui;
      await runTui({
        store,
        version: pkg.version,
        // Polling starts once the first frame is out: spawning Slurm commands would delay it.
        startPoller: () => startOverviewPoller(() => loadOverview(slurm), store, { intervalMs: options.interval * 1000 }),
      });
    });

  program
    .command('overview')
    .description('print the cluster overview (partitions, GPUs, your jobs) once')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const checkout = resolveCheckout(program.opts<GlobalOptions>().checkout);
      requireSlurm();
      const slurm = createSlurm();
      process.exitCode = await overviewCommand(slurm, checkout, { json: options.json === true });
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
      process.stderr.write(`ptb: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
