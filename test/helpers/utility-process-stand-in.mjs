// Stands in for Electron's utility-process bootstrap in a plain Node child: `process.parentPort`
// backed by Node's IPC channel, delivering { data } events and, as Electron's ParentPort does,
// queueing messages until a 'message' listener exists; then it runs the entry script named by the
// first argument. Used by test/unit/electron-compute-worker.test.ts.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

const parentPort = new EventEmitter();
const queued = [];
parentPort.postMessage = (message) => process.send(message);
parentPort.on('newListener', (event) => {
  if (event === 'message') setImmediate(() => queued.splice(0).forEach((data) => parentPort.emit('message', { data })));
});
process.on('message', (data) => {
  if (parentPort.listenerCount('message') === 0) queued.push(data);
  else parentPort.emit('message', { data });
});
Object.defineProperty(process, 'parentPort', { value: parentPort, enumerable: true });

await import(pathToFileURL(process.argv[2]).href);
