// The session's first frame without loading ~800 files: Ink, React and conf ship as a few bundles.
//
// node scripts/bundle-ui.mjs  (part of npm run build, after tsc) writes dist/vendor/{react,
//   react-jsx-runtime,ink,conf}.js plus the chunks they share (esbuild's code splitting: one
//   React instance, which Ink's reconciler and the app's components both use), then points
//   every import of those packages in dist/ at them. Loaded file by file, Ink and its
//   dependencies cost ~0.7 s of CPU before anything is drawn (es-toolkit/compat alone is 416
//   files); the bundle parses in a fifth of that. The packages are devDependencies: the source
//   tree and the tests (ink-testing-library) import them from node_modules, users get dist/.
// React is built for production (NODE_ENV is fixed at build time): the session always chose
// React's production build anyway (run-tui.ts), whose development checks cost every frame.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const vendorDir = join(dist, 'vendor');
const require = createRequire(import.meta.url);
process.env.NODE_ENV = 'production';

/** Bundled package → its file in dist/vendor, and how to re-export it. */
const PACKAGES = {
  react: { out: 'react', commonjs: true },
  'react/jsx-runtime': { out: 'react-jsx-runtime', commonjs: true },
  ink: { out: 'ink' },
  conf: { out: 'conf' },
};

/** An ES module re-export of the package; a CommonJS package's names are listed (ESM needs them static). */
async function entrySource(name, { commonjs }) {
  if (!commonjs) {
    const withDefault = 'default' in (await import(name));
    return `export * from '${name}';\n${withDefault ? `export { default } from '${name}';\n` : ''}`;
  }
  const names = Object.keys(require(name)).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
  return `import m from '${name}';\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`;
}

rmSync(vendorDir, { recursive: true, force: true });
await build({
  entryPoints: Object.values(PACKAGES).map(({ out }) => ({ in: `vendor-entry:${out}`, out })),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: vendorDir,
  chunkNames: 'chunk-[hash]',
  minify: true,
  legalComments: 'none',
  // Yoga's wasm loader (emscripten) fetch()es its own base64 data: URL when fetch exists, which loads
  // Node's undici (~20 ms); without it, it decodes the same bytes itself. Nothing else bundled fetches.
  define: { 'process.env.NODE_ENV': '"production"', fetch: 'undefined' },
  // Bundled CommonJS (React, the reconciler) calls require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
  plugins: [
    {
      name: 'vendor-entries',
      setup(b) {
        b.onResolve({ filter: /^vendor-entry:/ }, (args) => ({ path: args.path.slice(13), namespace: 'vendor-entry' }));
        b.onLoad({ filter: /.*/, namespace: 'vendor-entry' }, async (args) => {
          const [name, spec] = Object.entries(PACKAGES).find(([, p]) => p.out === args.path);
          return { contents: await entrySource(name, spec), resolveDir: root };
        });
        // Ink loads its React DevTools hook only when DEV=true; it needs react-devtools-core, which
        // is not installed either way: left to Node to resolve (Ink then prints how to install it).
        b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
          args.importer.includes(`${join('node_modules', 'ink')}`)
            ? { path: 'react-devtools-core', external: true }
            : undefined,
        );
      },
    },
  ],
});

// Point dist/'s imports of the bundled packages at dist/vendor.
const BARE = new RegExp(
  String.raw`(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(${Object.keys(PACKAGES)
    .map((n) => n.replace('/', '\\/'))
    .join('|')})\2`,
  'g',
);
function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return p === vendorDir ? [] : jsFiles(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}
let rewritten = 0;
for (const file of jsFiles(dist)) {
  const text = readFileSync(file, 'utf8');
  const out = text.replace(BARE, (_, lead, quote, name) => {
    const target = relative(dirname(file), join(vendorDir, `${PACKAGES[name].out}.js`));
    return `${lead}${quote}${target.startsWith('.') ? target : `./${target}`}${quote}`;
  });
  if (out !== text) {
    writeFileSync(file, out);
    rewritten++;
  }
}
if (rewritten === 0) throw new Error('bundle-ui: no import of a bundled package found in dist/ (was tsc run first?)');
