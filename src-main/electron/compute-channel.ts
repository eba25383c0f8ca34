/**
 * Compute hosts as Electron utility processes: the desktop app's ChannelFactory for the engine
 * (createEngine({ channel: utilityChannel })). A utility process is a Node child that Chromium's
 * service launcher starts from the app's own binary, so the app no longer needs ELECTRON_RUN_AS_NODE
 * and the RunAsNode fuse can be off in packaged builds (build/fuses.mjs). The CLI, the tests and the
 * e2e bridge keep the engine's default, a forked Node process.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import { workerEntry } from '../engine/compute/channels';
import type { ChannelFactory, HostChannel } from '../engine/compute/host';
import type { ChildMessage } from '../engine/compute/protocol';

/** How the process shows in the OS task manager and in app.getAppMetrics(). */
export const COMPUTE_SERVICE_NAME = 'Ganvas compute';

/**
 * The environment a compute process starts with: the app's, less what would let something
 * outside the app change what runs in it (NODE_OPTIONS can --require any file; the fuse already
 * makes packaged builds ignore it, this covers development builds too).
 */
export function computeEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || key === 'NODE_OPTIONS' || key === 'ELECTRON_RUN_AS_NODE') continue;
    clean[key] = value;
  }
  return clean;
}

/** Why the host went, for the error of any request still pending. */
function exitReason(code: number, killed: boolean, fatal: string | null): string {
  if (fatal) return `The compute process crashed (${fatal})`;
  // kill() ends the process with Chromium's "normal exit" code, so the code alone cannot tell.
  if (killed) return 'The compute process was stopped';
  return `The compute process exited with code ${code}`;
}

/** Opens one compute host in a new utility process. */
export const utilityChannel: ChannelFactory = () => {
  const { file, execArgv } = workerEntry();
  const child: UtilityProcess = utilityProcess.fork(file, [], {
    serviceName: COMPUTE_SERVICE_NAME,
    execArgv,
    env: computeEnv(),
    // Worker logs (backend selection, tfjs warnings) go to the app's own stdout/stderr.
    stdio: ['ignore', 'inherit', 'inherit'],
  });

  let spawned = false;
  let exited = false;
  let killRequested = false;
  let fatal: string | null = null;
  const exitListeners: ((why: string) => void)[] = [];

  // Electron's kill() does nothing before the process has a pid: remember the request and act on 'spawn'.
  const killNow = () => {
    killRequested = true;
    if (spawned && !exited) child.kill();
  };
  child.on('spawn', () => {
    spawned = true;
    if (killRequested && !exited) child.kill();
  });
  // A V8 fatal error: 'exit' still follows, with this as the reason.
  child.on('error', (type, location) => {
    fatal = `${type} at ${location}`;
  });
  child.once('exit', (code) => {
    exited = true;
    const why = exitReason(code, killRequested, fatal);
    for (const listener of exitListeners) listener(why);
  });

  const channel: HostChannel = {
    // Structured clone, like the forked channel's 'advanced' serialization: typed arrays arrive as typed arrays.
    send: (message) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => {
      child.on('message', (message: ChildMessage) => listener(message));
    },
    onExit: (listener) => {
      exitListeners.push(listener);
    },
    kill: killNow,
    // A utility process has no IPC channel to close, so there is no "exit when you are done" signal
    // short of a message the worker understands; ComputeHost.close(graceMs) kills it when the grace ends.
    disconnect: () => {},
  };
  return channel;
};
