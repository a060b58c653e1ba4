#!/usr/bin/env node
// Bundles ptb into one ESM file (dist/ptb.js): startup time matters on a login node.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

// Ink imports its React devtools bridge only when DEV=true; the bundle leaves it out rather
// than carry react-devtools-core (or fail to resolve it) for a mode users never run.
const withoutInkDevtools = {
  name: 'without-ink-devtools',
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/ink/`) ? { path: 'ink-devtools', namespace: 'empty' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

// yoga-layout (Ink's layout engine) instantiates its embedded WebAssembly through fetch() of a
// data: URL when fetch exists, which loads Node's whole fetch implementation (undici) at
// startup. The ArrayBuffer path it falls back to elsewhere is the same wasm without that cost.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const patched = source.replaceAll('"function"!=typeof fetch', 'true').replaceAll('"function" != typeof fetch', 'true');
      if (patched === source) throw new Error(`yoga-without-fetch: the pattern is gone from ${args.path}; update scripts/build.mjs`);
      return { contents: patched, loader: 'js' };
    });
  },
};

await build({
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/ptb.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  // node-pty is native: loaded lazily where a real terminal is needed, installed beside the bundle.
  external: ['node-pty'],
  plugins: [withoutInkDevtools, yogaWithoutFetch],
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: {
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    js: "#!/usr/bin/env node\nimport { createRequire as __ptbCreateRequire } from 'node:module';\nconst require = __ptbCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync('dist/ptb.js', 0o755);
