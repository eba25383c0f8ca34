/**
 * Which engine the desktop app talks to: its own (local) or a `ganvas serve` on another machine.
 * Plain data: nothing here may import Node, Electron or tfjs (the renderer bundles it).
 */

/** What a `ganvas serve` says about itself when a client has authenticated. */
export interface ServerInfo {
  /** Ganvas version of the server. */
  version: string;
  /** The machine's host name. */
  host: string;
  /** The folder every project path on the server lies under (relative paths are resolved against it). */
  root: string;
  /** GPUs the server's machine reports (nvidia-smi), empty when none or unknown. */
  gpus: string[];
}

export type ConnectionState = 'connected' | 'connecting' | 'reconnecting';

export interface EngineConnection {
  mode: 'local' | 'remote';
  state: ConnectionState;
  /** The server's address (remote only). */
  url?: string;
  server?: ServerInfo;
  /** Set on the 'connected' that follows a drop: what the app shows may be out of date. */
  reconnected?: boolean;
  /** Why the connection dropped (while reconnecting). */
  message?: string;
}

/** A server the app remembers (the token itself stays in the OS keychain, never in the page). */
export interface KnownEngine {
  url: string;
  /** A token is remembered for it (encrypted by the OS keychain). */
  hasToken: boolean;
  lastUsed: string;
}
