#!/usr/bin/env node
// Runs every test/**/*.test.ts(x) with node's test runner through tsx.
// (Node 20's runner does not expand globs itself, and sh's ** is not recursive.)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const filter = process.argv.slice(2);
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.test\.tsx?$/.test(name) ? [p] : [];
  });
}
const files = walk('test')
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    // A file whose tests are done exits even if a handle (an Ink instance, a native pool) lingers,
    // and no single test can hang CI.
    '--test-force-exit',
    '--test-timeout=600000',
    ...files,
  ],
  // Without the CI markers: Ink (is-in-ci) writes only the last frame when it thinks it runs in CI, so
  // a render test at 80×24 would see neither a resize nor a key's re-render. The tests drive the app
  // as in a terminal; `.ci/run` sets CI=true.
  { stdio: 'inherit', env: withoutCiMarkers(process.env) },
);

function withoutCiMarkers(env) {
  return Object.fromEntries(
    Object.entries(env).filter(([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION' && !k.startsWith('CI_')),
  );
}
process.exit(r.status ?? 1);
