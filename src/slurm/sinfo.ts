import { invoke, SEP, type SlurmContext } from './context.js';
import { parseDuration } from './duration.js';
import { failure, success, type SlurmResult } from './errors.js';
import { emptyToNull, intOrNull, parseRecords } from './fields.js';
import { parseGresList, type Gres } from './gres.js';

/** One node as seen from one partition (sinfo -N prints a node once per partition). */
export interface NodeInPartition {
  partition: string;
  isDefault: boolean;
  available: string;
  maxTimeSeconds: number | null;
  defaultTimeSeconds: number | null;
  node: string;
  /** As Slurm says it, with flags (`idle`, `mixed`, `drained*`, `down~`). */
  state: string;
  gres: Gres[];
  gresUsed: Gres[];
  features: string[];
  tmpDiskMb: number;
  cpus: number;
  cpusAllocated: number;
  memoryMb: number;
  memoryAllocatedMb: number;
  reason: string | null;
}

/** A partition summarised for the overview and the setup wizard. */
export interface Partition {
  name: string;
  isDefault: boolean;
  available: string;
  maxTimeSeconds: number | null;
  defaultTimeSeconds: number | null;
  nodes: string[];
  /** Node count per base state (`idle`, `mixed`, `allocated`, `drained`, `down`...). */
  nodeStates: Record<string, number>;
  /** Distinct GPU kinds with the largest per-node count and the total over the partition. */
  gpus: { type: string | null; perNode: number; total: number; used: number }[];
  features: string[];
  maxCpusPerNode: number;
  maxMemoryMbPerNode: number;
  maxTmpDiskMb: number;
}

const FIELDS = [
  'PartitionName',
  'Partition',
  'Available',
  'Time',
  'DefaultTime',
  'NodeList',
  'StateLong',
  'Gres',
  'GresUsed',
  'Features',
  'Disk',
  'CPUs',
  'CPUsState',
  'Memory',
  'AllocMem',
  'Reason',
] as const;

/** `sinfo -N -O ...`, one line per node and partition, with our separator after every field. */
export function sinfoArgs(): string[] {
  return ['--noheader', '--Node', '--Format', FIELDS.map((f) => `${f}:${SEP}`).join(',')];
}

/** Parses the output of {@link sinfoArgs}. Lines that do not have every field are skipped. */
export function parseSinfo(stdout: string): NodeInPartition[] {
  // Every field, the last one included, ends with the separator.
  const trimmed = stdout.replace(new RegExp(`${SEP}[ \\t]*$`, 'gm'), '');
  return parseRecords(trimmed, SEP, FIELDS.length, (f) => {
    const [name, display, available, time, defTime, node, state, gres, gresUsed, features, disk, cpus, cpuState, mem, allocMem, reason] = f.map((x) =>
      x.trim(),
    );
    const [alloc] = (cpuState ?? '').split('/');
    return {
      partition: name ?? '',
      isDefault: (display ?? '').endsWith('*'),
      available: available ?? '',
      maxTimeSeconds: parseDuration(time ?? '') ?? null,
      defaultTimeSeconds: parseDuration(defTime ?? '') ?? null,
      node: node ?? '',
      state: state ?? '',
      gres: parseGresList(gres),
      gresUsed: parseGresList(gresUsed),
      features: (emptyToNull(features) ?? '').split(',').filter((x) => x !== ''),
      tmpDiskMb: intOrNull(disk) ?? 0,
      cpus: intOrNull(cpus) ?? 0,
      cpusAllocated: intOrNull(alloc) ?? 0,
      memoryMb: intOrNull(mem) ?? 0,
      memoryAllocatedMb: intOrNull(allocMem) ?? 0,
      reason: emptyToNull(reason),
    };
  });
}

/** `drained*` → `drained`: the state without Slurm's flag characters. */
export function baseNodeState(state: string): string {
  return state.replace(/[*~#!%$@^+-]+$/, '').toLowerCase();
}

/** Groups node rows into partitions, in sinfo's order, GPU partitions first. */
export function summarisePartitions(rows: readonly NodeInPartition[]): Partition[] {
  const byName = new Map<string, Partition>();
  for (const row of rows) {
    let p = byName.get(row.partition);
    if (!p) {
      p = {
        name: row.partition,
        isDefault: row.isDefault,
        available: row.available,
        maxTimeSeconds: row.maxTimeSeconds,
        defaultTimeSeconds: row.defaultTimeSeconds,
        nodes: [],
        nodeStates: {},
        gpus: [],
        features: [],
        maxCpusPerNode: 0,
        maxMemoryMbPerNode: 0,
        maxTmpDiskMb: 0,
      };
      byName.set(row.partition, p);
    }
    p.nodes.push(row.node);
    const state = baseNodeState(row.state);
    p.nodeStates[state] = (p.nodeStates[state] ?? 0) + 1;
    for (const g of row.gres.filter((x) => x.name === 'gpu')) {
      const used = row.gresUsed.filter((u) => u.name === 'gpu' && u.type === g.type).reduce((n, u) => n + u.count, 0);
      const entry = p.gpus.find((x) => x.type === g.type);
      if (entry) {
        entry.perNode = Math.max(entry.perNode, g.count);
        entry.total += g.count;
        entry.used += used;
      } else p.gpus.push({ type: g.type, perNode: g.count, total: g.count, used });
    }
    for (const feature of row.features) if (!p.features.includes(feature)) p.features.push(feature);
    p.maxCpusPerNode = Math.max(p.maxCpusPerNode, row.cpus);
    p.maxMemoryMbPerNode = Math.max(p.maxMemoryMbPerNode, row.memoryMb);
    p.maxTmpDiskMb = Math.max(p.maxTmpDiskMb, row.tmpDiskMb);
  }
  const partitions = [...byName.values()];
  const hasGpu = (p: Partition) => (p.gpus.length > 0 ? 0 : 1);
  return partitions
    .map((p, i) => ({ p, i }))
    .sort((a, b) => hasGpu(a.p) - hasGpu(b.p) || a.i - b.i)
    .map(({ p }) => p);
}

/** The cluster's partitions and nodes, from one sinfo call. */
export async function listPartitions(ctx: SlurmContext): Promise<SlurmResult<{ partitions: Partition[]; nodes: NodeInPartition[] }>> {
  const out = await invoke(ctx, 'sinfo', sinfoArgs());
  if (!out.ok) return out;
  if (/\berror\b/i.test(out.value.stderr)) {
    return failure({ kind: 'invalid-request', command: 'sinfo', message: out.value.stderr.trim(), detail: out.value.stderr });
  }
  const nodes = parseSinfo(out.value.stdout);
  return success({ partitions: summarisePartitions(nodes), nodes });
}
