// Worker thread entry: runs the ONNX engine off the main thread and answers its calls.
import { parentPort, workerData } from 'node:worker_threads';
import type { Engine } from '../../core/train/engine.js';
import { createOnnxEngine } from '../onnx-engine.js';
import { serializeError, type CallMessage, type InitMessage, type ReplyMessage } from './worker-protocol.js';

const port = parentPort!;
const init = workerData as InitMessage;

/** Typed arrays in a reply go back without a copy. */
function transferables(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown) => {
    if (ArrayBuffer.isView(v)) out.add(v.buffer as ArrayBuffer);
    else if (v instanceof Map) for (const x of v.values()) visit(x);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return [...out];
}

let engine: Engine;
try {
  engine = await createOnnxEngine(init.options, { ...init.settings, worker: false });
  port.postMessage({ id: 0, ok: true, value: { backend: engine.backend } });
} catch (e) {
  port.postMessage({ id: 0, ok: false, error: serializeError(e) });
  process.exit(0);
}

port.on('message', async (m: CallMessage) => {
  let reply: ReplyMessage;
  try {
    const value = await (engine[m.method] as (...a: unknown[]) => Promise<unknown>).apply(engine, m.args);
    reply = { id: m.id, ok: true, value };
  } catch (e) {
    reply = { id: m.id, ok: false, error: serializeError(e) };
  }
  port.postMessage(reply, reply.ok ? transferables(reply.value) : []);
  if (m.method === 'dispose') port.close();
});
