import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What an agent's trace (solve_out.txt) says it used: the cost it reports itself, and its tokens.
 * Each CLI says it its own way (upstream.md §8): claude's `result` events carry `total_cost_usd` and
 * `usage`; codex prints cumulative `token_count` events (older CLIs) or a `usage` per `turn.completed`;
 * opencode's steps carry `cost` and `tokens`; gemini's responses `usageMetadata`.
 */
export interface AgentUsage {
  /** The CLI whose events were found; null when the trace has none (no cost is known then). */
  source: 'claude' | 'codex' | 'opencode' | 'gemini' | null;
  /** The agent's own figure, summed over its sessions (a reprompting agent has several); null when it reports none. */
  reportedUsd: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

const TIMESTAMP = /^\[[^\]]*\] /;
// Lines worth a JSON.parse: a trace is mostly other events, and can be gigabytes.
const MARKERS = ['total_cost_usd', 'token_count', 'turn.completed', 'usageMetadata', '"cost"'];

type Json = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Json | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);

/** Reads the usage out of a trace's lines, one event at a time. */
export function usageOf(lines: Iterable<string>): AgentUsage {
  let source: AgentUsage['source'] = null;
  let usd: number | null = null;
  let input: number | null = null;
  let output: number | null = null;
  // codex's token_count totals are cumulative: the last one is the session's.
  let codexTotals: { input: number | null; output: number | null } | null = null;
  const add = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);
  for (const raw of lines) {
    const line = raw.replace(TIMESTAMP, '');
    if (!line.startsWith('{') || !MARKERS.some((m) => line.includes(m))) continue;
    let event: Json;
    try {
      event = JSON.parse(line) as Json;
    } catch {
      continue;
    }
    const usage = obj(event.usage);
    if (event.type === 'result' && num(event.total_cost_usd) !== null) {
      source = 'claude';
      usd = add(usd, num(event.total_cost_usd));
      if (usage) {
        const cached = (num(usage.cache_creation_input_tokens) ?? 0) + (num(usage.cache_read_input_tokens) ?? 0);
        input = add(input, num(usage.input_tokens) === null ? null : (num(usage.input_tokens) ?? 0) + cached);
        output = add(output, num(usage.output_tokens));
      }
      continue;
    }
    if (event.type === 'turn.completed' && usage) {
      source = 'codex';
      input = add(input, num(usage.input_tokens));
      output = add(output, num(usage.output_tokens));
      continue;
    }
    const msg = obj(event.msg);
    if (msg?.type === 'token_count') {
      source = 'codex';
      const session = obj(msg.session) ?? obj(obj(msg.info)?.total_token_usage);
      if (session) codexTotals = { input: num(session.input_tokens), output: num(session.output_tokens) };
      continue;
    }
    const part = obj(event.part) ?? event;
    const tokens = obj(part.tokens);
    if (num(part.cost) !== null && tokens) {
      source = 'opencode';
      usd = add(usd, num(part.cost));
      input = add(input, num(tokens.input));
      output = add(output, add(num(tokens.output), num(tokens.reasoning)));
      continue;
    }
    const meta = obj(event.usageMetadata);
    if (meta) {
      source = 'gemini';
      input = add(input, num(meta.promptTokenCount));
      output = add(output, add(num(meta.candidatesTokenCount), num(meta.thoughtsTokenCount)));
    }
  }
  if (codexTotals) {
    input = add(input, codexTotals.input);
    output = add(output, codexTotals.output);
  }
  return { source, reportedUsd: usd, inputTokens: input, outputTokens: output };
}

/** A file's lines, read a megabyte at a time (a trace can be gigabytes); none when it cannot be read. */
export function* fileLines(path: string): Generator<string> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    let rest = '';
    for (;;) {
      const got = readSync(fd, buffer, 0, buffer.length, null);
      if (got === 0) break;
      const text = rest + buffer.toString('utf8', 0, got);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      yield* lines;
    }
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}

/** One model's API prices, as the configuration lists them (`prices`), with the day they were read. */
export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
  /** `2026-11-30`: prices change, so every one says when it was true. */
  date: string;
}

/** A run's API cost: what the agent reported, or its tokens priced from the table; why not, when neither. */
export type RunCost = { usd: number; how: 'reported' | { priced: string } } | { usd: null; why: string };

export function runCost(usage: AgentUsage, model: string, prices: Readonly<Record<string, Price>>): RunCost {
  if (usage.reportedUsd !== null) return { usd: usage.reportedUsd, how: 'reported' };
  if (usage.source === null) return { usd: null, why: 'no cost or token counts in solve_out.txt' };
  if (usage.inputTokens === null && usage.outputTokens === null) return { usd: null, why: `no token counts in ${usage.source}'s events` };
  const price = prices[model];
  if (!price) return { usd: null, why: `no price for ${model} in the configuration's prices` };
  const usd = ((usage.inputTokens ?? 0) * price.inputPerMTok + (usage.outputTokens ?? 0) * price.outputPerMTok) / 1e6;
  return { usd, how: { priced: price.date } };
}

/** `$1.23`, `$0.004`, `unknown`: what a cost cell shows. */
export function formatUsd(usd: number | null): string {
  if (usd === null) return 'unknown';
  return usd >= 0.1 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(1)}`;
}

/** What a run spent on its API, read from its folder's solve_out.txt. */
export interface RunSpend {
  usd: number | null;
  /** `reported by the agent`, `codex tokens priced as of 2026-11-30`, or why the cost is unknown. */
  how: string;
  inputTokens: number | null;
  outputTokens: number | null;
}

// A finished run's trace does not change: it is read once per process, again only when its size or
// modification time did (the monitor asks for an experiment's spend each time one of its jobs ends).
const USAGE_CACHE_LIMIT = 20_000;
const usageCache = new Map<string, { stamp: string; usage: AgentUsage }>();

function traceUsage(path: string): AgentUsage {
  let stamp: string;
  try {
    const st = statSync(path);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    return usageOf([]);
  }
  const cached = usageCache.get(path);
  if (cached?.stamp === stamp) return cached.usage;
  const usage = usageOf(fileLines(path));
  if (usageCache.size >= USAGE_CACHE_LIMIT) usageCache.clear();
  usageCache.set(path, { stamp, usage });
  return usage;
}

/** `model`: the agent configuration's (what `prices` is keyed by); null when it is not known. */
export function readRunSpend(dir: string, model: string | null, prices: Readonly<Record<string, Price>>): RunSpend {
  const usage = traceUsage(join(dir, 'solve_out.txt'));
  const cost = runCost(usage, model ?? '(none listed)', prices);
  const how =
    cost.usd === null ? cost.why : cost.how === 'reported' ? 'reported by the agent' : `${usage.source ?? ''} tokens priced as of ${cost.how.priced}`.trim();
  return { usd: cost.usd, how, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
}
