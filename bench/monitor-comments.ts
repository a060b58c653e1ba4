// Prints N distinct ptb job comments of the setup whose results folder is argv[2]: what the monitor
// benchmark submits as held jobs, so that ptb counts them as its own. Run through scripts/run-ts.mjs.
import { jobComment } from '../src/submit/job-mark.js';
import { setupIdentity } from '../src/submit/setup-identity.js';
import type { Task } from '../src/plan/task.js';

const [resultsDir, count] = [process.argv[2] ?? '', Number(process.argv[3] ?? 0)];
const setup = setupIdentity({ resultsDir });
const evals = ['aime2025', 'arenahardwriting', 'bfcl', 'gpqamain', 'gsm8k', 'healthbench', 'humaneval'];
const models = ['Qwen/Qwen3-1.7B-Base', 'Qwen/Qwen3-4B-Base', 'HuggingFaceTB/SmolLM3-3B-Base', 'google/gemma-3-4b-pt'];
const lines: string[] = [];
for (let i = 0; lines.length < count; i++) {
  const task: Task = {
    kind: 'agent',
    eval: evals[i % 7] ?? 'gsm8k',
    model: models[Math.floor(i / 7) % 4] ?? '',
    agent: 'claude',
    config: `claude-opus-4-6`,
    hours: 1 + Math.floor(i / 28),
    gpus: 1,
    experiment: '_bench',
  };
  lines.push(jobComment(task, setup));
}
process.stdout.write(`${lines.join('\n')}\n`);
