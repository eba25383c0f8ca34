/**
 * Entry of a compute worker: a child process (Node's fork, or Electron's with
 * ELECTRON_RUN_AS_NODE) that owns tfjs. A separate process, not a worker thread: tfjs-node
 * cannot be loaded in a second thread (tensorflow/tfjs#8388), a native crash must not take
 * the app down, and killing it is the last-resort stop.
 */
import { WorkerHandlers } from './handlers';
import type { ChildMessage, ParentMessage } from './protocol';

if (!process.send) {
  console.error('worker-entry must be started with an IPC channel (child_process.fork)');
  process.exit(2);
}

const send = (msg: ChildMessage) => process.send!(msg);
const handlers = new WorkerHandlers((event, payload) => send({ event, payload }));

process.on('message', (msg: ParentMessage) => {
  handlers.handle(msg.method, msg.args as never).then(
    (result) => send({ id: msg.id, result }),
    (err: unknown) => send({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
  );
});

// The parent went away (app quit, crash): nothing left to report to.
process.on('disconnect', () => process.exit(0));
