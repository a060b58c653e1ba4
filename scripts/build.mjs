#!/usr/bin/env node
// Bundles ptb into dist/ptb.js and the chunks it loads when needed (dist/chunks/): startup time
// matters on a login node, and node parses what it loads. The terminal emulator of the shell pane,
// the process runner and what else is only imported on use are parsed only when used.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

// string-width (Ink's measure of text) builds /^\p{RGI_Emoji}$/v when its module loads (esbuild
// writes /v literals as `new RegExp` for node20): building it loads ICU's emoji sequences, about
// 13 ms of every start. Built on its first use instead, it costs nothing until a cluster of
// non-ASCII characters is measured (ASCII has its own fast path there).
const emojiRegexOnFirstUse = {
  name: 'emoji-regex-on-first-use',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const literal = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
      if (!source.includes(literal)) throw new Error(`emoji-regex-on-first-use: the pattern is gone from ${args.path}; update scripts/build.mjs`);
      const lazy = "let rgiEmojiRegexBuilt; const rgiEmojiRegex = { test: (s) => (rgiEmojiRegexBuilt ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(s) };";
      return { contents: source.replace(literal, () => lazy), loader: 'js' };
    });
  },
};

// wrap-ansi pins string-width 7, a second copy with its own large emoji expression to build at
// start. It uses the one Ink measures with (8), so that wrapping and measuring agree, and the
// start is shorter. A new major of string-width may change its interface: the build stops then.
const oneStringWidth = {
  name: 'one-string-width',
  setup(b) {
    const { version } = JSON.parse(readFileSync('node_modules/string-width/package.json', 'utf8'));
    if (!version.startsWith('8.'))
      throw new Error(`one-string-width: string-width is ${version}, not 8.x; check that wrap-ansi can use it, then update scripts/build.mjs`);
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/wrap-ansi/`) ? b.resolve('string-width', { resolveDir: process.cwd(), kind: args.kind }) : undefined,
    );
  },
};

// Ink draws every frame from nothing: it styles each line of the screen char by char again (its
// caches live one frame), and between every two chars it diffs their styles (new Sets each time),
// though most lines are the ones of the last frame. Its text measures and wraps are memoised in maps
// that grow for good (a monitor open for days shows ever new elapsed times). The patches: one set of
// caches for all frames, every memo bounded (src/text/bounded-cache.ts), chars of one style run
// sharing one styles array and no diff between a run's chars. The frames are the same bytes.
const inkFrameCosts = {
  name: 'ink-frame-costs',
  setup(b) {
    const cache = `import { BoundedCache as PtbBoundedCache } from ${JSON.stringify(resolve('src/text/bounded-cache.ts'))};\n`;
    const patches = {
      'ink/build/output.js': [
        [
          '    widths = new Map();\n    blockWidths = new Map();\n    styledChars = new Map();',
          '    widths = new PtbBoundedCache(4096);\n    blockWidths = new PtbBoundedCache(1024);\n    styledChars = new PtbBoundedCache(512);',
        ],
        ['    caches = new OutputCaches();', '    caches = sharedCaches;'],
        ['export default class Output {', 'const sharedCaches = new OutputCaches();\nconst NO_STYLES = [];\nexport default class Output {'],
        ['styles: [],', 'styles: NO_STYLES,'],
      ],
      'ink/build/measure-text.js': [['const cache = new Map();', 'const cache = new PtbBoundedCache(2048);']],
      'ink/build/wrap-text.js': [
        ['const cache = {};', 'const cache = new PtbBoundedCache(2048);'],
        ['const cachedText = cache[cacheKey];', 'const cachedText = cache.get(cacheKey);'],
        ['cache[cacheKey] = wrappedText;', 'cache.set(cacheKey, wrappedText);'],
      ],
      'ink/build/render-node-to-output.js': [
        ["import widestLine from 'widest-line';", "import measureText from './measure-text.js';"],
        ['const currentWidth = widestLine(text);', 'const currentWidth = measureText(text).width;'],
      ],
      '@alcalzone/ansi-tokenize/build/styledChars.js': [
        ['    let codes = [];\n', '    let codes = [];\n    let shared;\n'],
        ['codes = reduceAnsiCodesIncremental(codes, [token]);', 'codes = reduceAnsiCodesIncremental(codes, [token]);\n            shared = undefined;'],
        ['styles: [...codes],', 'styles: (shared ??= [...codes]),'],
        [
          'ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
          'if (chars[i - 1].styles !== char.styles) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
        ],
      ],
    };
    b.onLoad({ filter: /[\\/]node_modules[\\/](ink|@alcalzone[\\/]ansi-tokenize)[\\/]build[\\/][\w-]+\.js$/ }, async (args) => {
      const file = Object.keys(patches).find((name) => args.path.replaceAll('\\', '/').endsWith(`/node_modules/${name}`));
      if (!file) return undefined;
      let source = await readFile(args.path, 'utf8');
      for (const [from, to] of patches[file]) {
        if (source.split(from).length !== 2) throw new Error(`ink-frame-costs: "${from.split('\n')[0]}" is not once in ${file}; update scripts/build.mjs`);
        source = source.replace(from, () => to);
      }
      return { contents: (source.includes('PtbBoundedCache') ? cache : '') + source, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** How ptb is bundled; bench/startup.mjs bundles its Ink baseline the same way. */
export const bundleOptions = {
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // PTB_BUILD_MINIFY=0: readable names, for a CPU profile.
  minify: process.env.PTB_BUILD_MINIFY !== '0',
  sourcemap: 'linked',
  legalComments: 'linked',
  // node-pty is native: loaded lazily where a real terminal is needed, installed beside the bundle.
  external: ['node-pty'],
  plugins: [withoutInkDevtools, yogaWithoutFetch, emojiRegexOnFirstUse, oneStringWidth, inkFrameCosts],
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: {
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    js: "#!/usr/bin/env node\nimport { createRequire as __ptbCreateRequire } from 'node:module';\nconst require = __ptbCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Chunks are named by their content: those of an older build would linger.
  rmSync('dist', { recursive: true, force: true });
  await build({ ...bundleOptions, entryPoints: { ptb: 'src/cli/bin.ts' }, outdir: 'dist' });
  chmodSync('dist/ptb.js', 0o755);
}
