/**
 * Builds `window.ganvas` from the contract. The Electron preload and the e2e test bridge both call
 * this, so the renderer sees an identical object whichever transport carries the calls.
 */
import { apiMethods, type ApiEventName, type ApiEvents, type ApiMethod, type GanvasBridge } from './contract';
import { fromWire, toWire } from './errors';

export type InvokeTransport = (name: ApiMethod, payload: unknown) => Promise<unknown>;
/** Subscribes to every engine event; returns an unsubscribe function. */
export type EventTransport = (listener: (event: ApiEventEnvelope) => void) => () => void;

export interface ApiEventEnvelope<E extends ApiEventName = ApiEventName> {
  name: E;
  payload: ApiEvents[E];
}

/** `names`: the contract's methods (more in tests that extend the contract). */
export function buildBridge(invoke: InvokeTransport, subscribe: EventTransport, names: readonly string[] = apiMethods): GanvasBridge {
  const methods: Record<string, (payload: unknown) => Promise<unknown>> = {};
  for (const name of names as ApiMethod[]) {
    methods[name] = async (payload: unknown) => {
      try {
        return await invoke(name, payload ?? {});
      } catch (error) {
        // Normalised wire form ("[ganvas:code] message"): Electron's contextBridge passes only an
        // error's message into the page, so the code must travel inside it. The renderer reads
        // both with fromWire() / readableMessage().
        throw toWire(fromWire(error));
      }
    };
  }
  const on = <E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) =>
    subscribe((envelope) => {
      if (envelope.name === event) listener(envelope.payload as ApiEvents[E]);
    });
  return { ...(methods as unknown as Omit<GanvasBridge, 'on'>), on };
}
