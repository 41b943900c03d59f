// The Data step: download / verify progress folded into state, and retry after a failure.
import { describeProgress } from '../../core/dataset/progress.js';
import type { KeyCommand } from '../keys.js';
import type { DataProgress } from '../services.js';
import type { AppState, FileProgress } from '../state.js';
import { goto, withEffects } from './transitions.js';

export function dataProgress(data: AppState['data'], p: DataProgress): AppState['data'] {
  const upsert = (file: string, patch: Partial<FileProgress>): AppState['data'] => {
    const i = data.files.findIndex((f) => f.file === file);
    const files =
      i < 0
        ? [...data.files, { file, bytes: 0, total: 0, bytesPerSecond: 0, ...patch }]
        : data.files.map((f, j) => (j === i ? { ...f, ...patch } : f));
    return { ...data, files };
  };
  switch (p.type) {
    case 'source':
      return { ...data, source: p.description };
    case 'download-start':
      return upsert(p.file, { bytes: p.resumeFrom, phase: 'downloading' });
    case 'download':
      return upsert(p.file, {
        bytes: p.bytes,
        total: p.total,
        bytesPerSecond: p.bytesPerSecond,
        etaSeconds: p.etaSeconds,
        phase: 'downloading',
      });
    case 'downloaded':
      return upsert(p.file, { bytes: p.bytes, total: p.bytes, etaSeconds: 0, phase: 'downloaded' });
    case 'verifying':
      return upsert(p.file, { phase: 'verifying' });
    case 'verify':
      return upsert(p.file, { verified: p.ok, phase: p.ok ? 'verified' : 'rejected', reason: p.reason });
    case 'ready':
      return data;
    case 'skip':
    case 'retry':
    case 'mirror-failed':
    case 'removed':
      return { ...data, messages: [...data.messages, describeProgress(p)].slice(-3) };
  }
}

export function dataCommand(state: AppState, cmd: KeyCommand): AppState {
  // After a failure, enter retries like r; otherwise it moves on.
  if ((cmd === 'next' || cmd === 'retryData') && state.data.status === 'error')
    return withEffects({ ...state, data: { status: 'loading', files: [], messages: [] } }, { kind: 'loadData' });
  if (cmd === 'next') return goto(state, 1);
  return state;
}
