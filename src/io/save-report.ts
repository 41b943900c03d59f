// What a save left in the run folder: its files with their sizes and the verification verdict, and the
// lines the CLI and the TUI print for it.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_FILES, type RunFileKind } from './run-folder-files.js';
import type { VerifyReport } from './verify.js';

export interface RunFileInfo {
  readonly kind: RunFileKind;
  readonly path: string;
  readonly bytes: number;
}

export interface SaveReport {
  readonly dir: string;
  readonly files: readonly RunFileInfo[];
  /** Absent only when verification was skipped. */
  readonly verify?: VerifyReport;
  readonly verdict: 'PASS' | 'FAIL' | 'SKIPPED';
}

/** The files of `kinds` that `dir` holds, with their sizes. */
export async function fileInfos(dir: string, kinds: readonly RunFileKind[]): Promise<RunFileInfo[]> {
  const out: RunFileInfo[] = [];
  for (const kind of kinds) {
    const path = join(dir, RUN_FILES[kind]);
    if (existsSync(path)) out.push({ kind, path, bytes: (await stat(path)).size });
  }
  return out;
}

/** "model.safetensors  2.7 MB" lines and the verdict, for the CLI and the TUI. */
export function formatSaveReport(report: SaveReport): string {
  const size = (n: number) =>
    n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`;
  const lines = [`Saved the run to ${report.dir}/`];
  for (const f of report.files) lines.push(`  ${RUN_FILES[f.kind].padEnd(20)} ${size(f.bytes).padStart(8)}`);
  if (report.verify) {
    const b = report.verify.batched;
    lines.push(
      `  verification: ${report.verdict} (max |Δ| ${b.maxAbsDiff.toExponential(2)}, argmax agreement ` +
        `${b.argmaxAgreements.toLocaleString('en-US')}/${b.count.toLocaleString('en-US')}, ` +
        `ONNX accuracy ${(100 * report.verify.exportAccuracy).toFixed(2)}%)`,
    );
  } else lines.push('  verification: skipped');
  return lines.join('\n');
}
