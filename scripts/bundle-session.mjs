// The session's own modules as one file: dist/ui/start-app.js becomes a bundle of the ~60
// modules it alone loads (the screens, components, reducer, key table…), so the first frame
// does not wait on Node resolving, reading and linking each of them (~60 ms of CPU).
//
// node scripts/bundle-session.mjs [distDir]  (part of npm run build, after bundle-ui.mjs)
// Only modules that nothing outside the bundle imports go in, so every module still exists
// once: one UserError class for cli.js's `instanceof`, one copy of any module state. A module
// also imported by a subcommand, by a module loaded later with import(), or by a worker stays
// its own file, imported from the bundle; so do modules that use import.meta (their URLs are
// relative to their own file). The bundled files are removed from dist/.
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = resolve(process.argv[2] ?? join(root, 'dist'));
const entry = join(dist, 'ui/start-app.js');

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'vendor' ? [] : jsFiles(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}

/** Every relative import in dist/, as importer → [{ path, kind }], from esbuild's metafile. */
async function importGraph() {
  const { metafile } = await build({
    entryPoints: jsFiles(dist),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    outdir: join(dist, '.graph'),
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'only-dist',
        setup(b) {
          // (A dynamic import of a file that only the sources have, like tfjs's gradients-bundle.js, is no edge.)
          b.onResolve({ filter: /.*/ }, (args) =>
            args.kind === 'entry-point' ||
            (args.path.startsWith('.') &&
              !args.path.includes('/vendor/') &&
              existsSync(resolve(args.resolveDir, args.path)))
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  const graph = new Map();
  for (const [file, input] of Object.entries(metafile.inputs))
    graph.set(
      resolve(root, file),
      input.imports.filter((i) => !i.external).map((i) => ({ path: resolve(root, i.path), kind: i.kind })),
    );
  return graph;
}

/** The modules only the session's entry reaches: its static closure minus anything shared. */
function sessionOnly(graph) {
  const importers = new Map();
  for (const [from, imports] of graph)
    for (const { path, kind } of imports) importers.set(path, [...(importers.get(path) ?? []), { from, kind }]);
  const inside = new Set([entry]);
  for (const todo = [entry]; todo.length > 0; )
    for (const { path, kind } of graph.get(todo.pop()) ?? [])
      if (kind === 'import-statement' && !inside.has(path)) {
        inside.add(path);
        todo.push(path);
      }
  for (const file of inside)
    if (file !== entry && readFileSync(file, 'utf8').includes('import.meta')) inside.delete(file);
  for (let changed = true; changed; ) {
    changed = false;
    for (const file of inside) {
      if (file === entry) continue;
      const shared = (importers.get(file) ?? []).some((i) => !inside.has(i.from) || i.kind !== 'import-statement');
      if (shared) {
        inside.delete(file);
        changed = true;
      }
    }
  }
  return inside;
}

const inside = sessionOnly(await importGraph());
const out = await build({
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  write: false,
  outfile: entry,
  logLevel: 'warning',
  plugins: [
    {
      name: 'session-only',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind === 'entry-point') return undefined;
          if (!args.path.startsWith('.')) return { path: args.path, external: true };
          const file = resolve(args.resolveDir, args.path);
          if (inside.has(file) && args.kind === 'import-statement') return undefined;
          const path = relative(dirname(entry), file);
          return { path: path.startsWith('.') ? path : `./${path}`, external: true };
        });
      },
    },
  ],
});
writeFileSync(entry, out.outputFiles[0].text);
for (const file of inside) if (file !== entry) rmSync(file);
for (const dir of new Set([...inside].map(dirname)))
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
console.log(`bundle-session: ${inside.size} modules in ${relative(root, entry)}`);
