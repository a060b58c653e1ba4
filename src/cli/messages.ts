/** Texts the CLI prints for situations the user must act on. */

export const NOT_A_LOGIN_NODE = [
  'ptb needs a Slurm login node: the Slurm client commands (sinfo, squeue, sbatch) are not on PATH here.',
  "Run ptb where you submit jobs (ssh to your cluster's login node; on sites with modules, `module load slurm` first).",
  'To try ptb without a cluster, run `npm run demo` from a ptb-slurm checkout as root on Debian:',
  'it starts a local single-node Slurm cluster and opens ptb against a PostTrainBench-shaped fixture.',
].join(' ');

export const NEEDS_A_TERMINAL =
  "ptb's screen needs an interactive terminal (stdin and stdout must be a TTY). In scripts, use the subcommands instead, e.g. `ptb overview --json`.";
