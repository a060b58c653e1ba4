import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSite, siteProblem } from '../../src/config/site.js';
import { defaultDraft, DRAFT_FIELDS } from '../../src/setup/draft.js';
import type { Partition } from '../../src/slurm/sinfo.js';

const root = mkdtempSync(join(tmpdir(), 'ptb-site-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function siteDir(name: string, content: string | null): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'ptb-slurm'), { recursive: true });
  if (content !== null) writeFileSync(join(dir, 'ptb-slurm', 'site.json'), content);
  return dir;
}

describe('the site file', () => {
  it('is the first one found along XDG_CONFIG_DIRS, relative entries ignored', () => {
    const empty = siteDir('empty', null);
    const first = siteDir('first', JSON.stringify({ label: 'cluster A', defaults: { partition: 'h100', cpusPerTask: 32 } }));
    const second = siteDir('second', JSON.stringify({ label: 'cluster B' }));
    const loaded = loadSite({ XDG_CONFIG_DIRS: ['relative/dir', empty, first, second].join(':') }, DRAFT_FIELDS);
    expect(loaded).toMatchObject({ kind: 'ok', site: { label: 'cluster A', notes: [], defaults: { partition: 'h100', cpusPerTask: '32' } } });
  });

  it('is optional', () => {
    expect(loadSite({ XDG_CONFIG_DIRS: siteDir('none', null) }, DRAFT_FIELDS)).toEqual({ kind: 'none' });
  });

  it('is ignored with the reason when it is broken, naming the file', () => {
    const broken = siteDir('broken', '{"label": "x",');
    const loaded = loadSite({ XDG_CONFIG_DIRS: broken }, DRAFT_FIELDS);
    expect(siteProblem(loaded)).toBe(`${join(broken, 'ptb-slurm', 'site.json')} was ignored: not valid JSON: Expected double-quoted property name`);
    const typo = siteDir('typo', JSON.stringify({ defaults: { partiton: 'gpu' } }));
    expect(siteProblem(loadSite({ XDG_CONFIG_DIRS: typo }, DRAFT_FIELDS))).toMatch(
      /was ignored: defaults: unknown field\(s\) partiton \(known: checkout, hfHome, /,
    );
    const extra = siteDir('extra', JSON.stringify({ lable: 'x' }));
    expect(siteProblem(loadSite({ XDG_CONFIG_DIRS: extra }, DRAFT_FIELDS))).toMatch(/was ignored: lable: /);
  });
});

describe("the wizard's first draft", () => {
  const context = { env: { HOME: '/home/ana', HF_HOME: '/scratch/hf' }, cwd: root, partitions: [] };

  it('takes the site defaults over what it finds in the environment', () => {
    const draft = defaultDraft({ ...context, site: { hfHome: '/shared/hf', account: 'ml-lab' } });
    expect(draft).toMatchObject({ hfHome: '/shared/hf', account: 'ml-lab', home: '/home/ana', hours: '10', time: '12:00:00' });
  });

  it("gives a site's partition the GRES, constraint and --tmp it suggests, unless the site sets them", () => {
    const partition = (name: string, type: string, feature: string, tmpMb: number): Partition => ({
      name,
      isDefault: name === 'a100',
      available: 'up',
      maxTimeSeconds: null,
      defaultTimeSeconds: null,
      nodes: ['n1'],
      nodeStates: { idle: 1 },
      gpus: [{ type, perNode: 4, total: 4, used: 0 }],
      features: [feature],
      maxCpusPerNode: 64,
      maxMemoryMbPerNode: 512000,
      maxTmpDiskMb: tmpMb,
    });
    const partitions = [partition('a100', 'a100', 'a100', 0), partition('h100', 'h100', 'h100', 900_000)];
    expect(defaultDraft({ ...context, partitions, site: { partition: 'h100' } })).toMatchObject({
      partition: 'h100',
      gres: 'gpu:h100:1',
      constraint: 'h100',
      tmp: '400G',
    });
    expect(defaultDraft({ ...context, partitions, site: { partition: 'h100', gres: 'gpu:h100:2' } })).toMatchObject({ gres: 'gpu:h100:2' });
  });

  it('gives a site that sets the hours the time limit that follows them, unless it sets one too', () => {
    expect(defaultDraft({ ...context, site: { hours: '2' } })).toMatchObject({ hours: '2', time: '4:00:00' });
    expect(defaultDraft({ ...context, site: { hours: '2', time: '9:00:00' } })).toMatchObject({ hours: '2', time: '9:00:00' });
  });
});
