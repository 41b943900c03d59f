import { readFileSync } from 'node:fs';

/** Works from src/ (tsx) and dist/ (built): package.json is one level up from both. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
