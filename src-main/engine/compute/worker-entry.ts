/**
 * Entry of a compute host process: Node's child_process.fork (CLI server, tests, dev) or
 * Electron's utilityProcess.fork (the app). A separate process, not a worker thread: tfjs-node
 * cannot be loaded in a second thread (tensorflow/tfjs#8388), a native crash must not take the
 * app down, and killing it is the last-resort stop.
 */
import { ComputeWorker } from './compute-worker';
import type { ChildMessage, ParentMessage } from './protocol';

/** Electron's utility process talks through process.parentPort (MessagePortMain), Node's child through process.send. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function transport(): { send: (msg: ChildMessage) => void; listen: (on: (msg: ParentMessage) => void) => void } {
  if (parentPort) {
    return {
      send: (msg) => parentPort.postMessage(msg),
      listen: (on) => parentPort.on('message', (event) => on(event.data as ParentMessage)),
    };
  }
  if (!process.send) {
    console.error('worker-entry must be started as a compute host (child_process.fork or utilityProcess.fork)');
    process.exit(2);
  }
  return {
    send: (msg) => process.send!(msg),
    listen: (on) => process.on('message', (msg: ParentMessage) => on(msg)),
  };
}

const { send, listen } = transport();
const worker = new ComputeWorker((event, payload) => send({ event, payload }), send);

listen((msg) => worker.handle(msg));

// The parent went away (app quit, crash): nothing left to report to.
process.on('disconnect', () => process.exit(0));
