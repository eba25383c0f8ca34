/**
 * Which engine the app drives: its own, or a `ganvas serve` elsewhere (docs/server.md). Answered
 * by the desktop shell's main process, which holds the connection and the token: the page never
 * sees a token it did not type, and never talks to the network itself.
 */
import { z } from 'zod';
import type { EngineConnection, KnownEngine } from '../types/connection';
import { text } from './common';
import { inShell } from './method';

/** ws://host:port, wss://host:port (or host:port, which means ws://). */
export const engineUrl = text(2048).pipe(z.string().min(1, 'give the address of the engine, e.g. ws://127.0.0.1:7420'));
/** The token `ganvas serve` printed: 43 base64url characters; bounded so a paste of anything else is refused quickly. */
export const engineToken = text(512).pipe(z.string().min(1, 'paste the token the server printed'));

export const connectionContract = {
  /**
   * Connects to a `ganvas serve` and makes it the engine for every later call. Without `token`,
   * the one remembered for `url`; `remember` (default true) keeps the token in the OS keychain.
   */
  connectEngine: inShell<EngineConnection>()(z.object({ url: engineUrl, token: engineToken.optional(), remember: z.boolean().optional() })),
  /** Back to the app's own engine (a run on the server goes on). */
  disconnectEngine: inShell<EngineConnection>()(z.object({})),
  /** The engine the app drives now. */
  engineConnection: inShell<EngineConnection>()(z.object({})),
  /** Servers connected to before, newest first. */
  knownEngines: inShell<KnownEngine[]>()(z.object({})),
  /** Forgets a server and its token. */
  forgetEngine: inShell<KnownEngine[]>()(z.object({ url: engineUrl })),
} as const;

export type ConnectionMethod = keyof typeof connectionContract;
export const connectionMethods = Object.keys(connectionContract) as ConnectionMethod[];
export const isConnectionMethod = (name: string): name is ConnectionMethod => name in connectionContract;
