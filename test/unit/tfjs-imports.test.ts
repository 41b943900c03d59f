// The app depends on @tensorflow/tfjs-core and its cpu and wasm backends (bundled into dist by
// scripts/bundle-tfjs.mjs), not on the @tensorflow/tfjs umbrella: an import of the umbrella
// would compile where an older install still has it and fail after a fresh npm ci.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(name) ? [p] : [];
  });

test('no source or test file imports the @tensorflow/tfjs umbrella (tfjs-core instead)', () => {
  const umbrella = /(from\s+|import\()\s*['"]@tensorflow\/tfjs['"]/;
  const offenders = ['src', 'test', 'bench']
    .flatMap((d) => files(join(root, d)))
    .filter((f) => umbrella.test(readFileSync(f, 'utf8')))
    .map((f) => f.slice(root.length));
  assert.deepEqual(offenders, []);
});
