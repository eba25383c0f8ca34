/**
 * Channels to a ComputeWorker: a forked Node process (the default: a native crash or a runaway
 * kernel takes only that process down, and killing it is the last-resort stop), or the calling
 * process itself (the CLI, which is its own process already).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ComputeWorker } from './compute-worker';
import type { ChannelFactory, HostChannel } from './host';
import type { ChildMessage } from './protocol';

/**
 * Where the entry lives: next to this module as .ts when running from source (tsx, vitest); as
 * out/main/worker-entry.js when built by electron-vite, where this code may sit in a shared
 * chunk one folder down (out/main/chunks/).
 */
export function workerEntry(): { file: string; execArgv: string[] } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const folder of [here, path.dirname(here)]) {
    const built = path.join(folder, 'worker-entry.js');
    if (fs.existsSync(built)) return { file: built, execArgv: [] };
  }
  const source = path.join(here, 'worker-entry.ts');
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { file: source, execArgv: ['--import', tsx] };
}

/** A child process started with Node's fork (plain Node, or Electron's binary run as Node). */
export const forkedChannel: ChannelFactory = () => {
  const { file, execArgv } = workerEntry();
  const child = fork(file, [], {
    execArgv,
    // Under Electron, process.execPath is the Electron binary: run it as plain Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  return {
    send: (message) => child.send(message),
    onMessage: (listener) => child.on('message', (m: ChildMessage) => listener(m)),
    onExit: (listener) =>
      child.on('exit', (code, signal) =>
        listener(signal ? `The compute process was killed (${signal})` : `The compute process exited with code ${code}`),
      ),
    kill: () => child.kill('SIGKILL'),
    disconnect: () => child.disconnect?.(),
  };
};

/** The worker in this very process: no serialisation, no second tfjs (the CLI). */
export const inProcessChannel: ChannelFactory = () => {
  let listener: (message: ChildMessage) => void = () => {};
  let exitListener: (why: string) => void = () => {};
  let open = true;
  const deliver = (message: ChildMessage) => open && listener(message);
  const worker = new ComputeWorker((event, payload) => deliver({ event, payload }), deliver);
  const end = (why: string) => {
    if (!open) return;
    worker.cancelAll();
    open = false;
    exitListener(why);
  };
  const channel: HostChannel = {
    send: (message) => {
      // A macrotask later, as over IPC: a caller's synchronous code finishes first.
      setImmediate(() => {
        if (open) worker.handle(message);
      });
    },
    onMessage: (l) => (listener = l),
    onExit: (l) => (exitListener = l),
    kill: () => end('The compute host was closed'),
    disconnect: () => {
      // In one process there is nothing to wait for but the run's own stop.
      worker.cancelAll();
      setImmediate(() => end('The compute host was closed'));
    },
  };
  return channel;
};
