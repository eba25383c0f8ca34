/**
 * The engine's side of compute windows: how a shell opens one (Electron: a hidden sandboxed
 * BrowserWindow; the Chromium test target: a page) and what the engine remembers about them. A
 * compute host's calls reach its window through the engine (host.ts relays them); one window per
 * host, opened on the host's first call and closed with the host.
 */
import type { DeviceReply, DeviceRequest } from './device-protocol';

/** One open compute window. */
export interface DeviceLink {
  send(request: DeviceRequest): void;
  onReply(listener: (reply: DeviceReply) => void): void;
  /** Called once if the window goes by itself (closed, crashed, unresponsive) with why. */
  onClose(listener: (why: string) => void): void;
  /** Closes the window (the host is done with it). */
  close(): void;
}

export type DeviceLinkOpener = () => Promise<DeviceLink>;

/** What a training request tells its host about windows (absent: this engine has none). */
export interface WindowState {
  /** Why a window was lost earlier in this session: 'auto' then trains on the Node host. */
  lostEarlier?: string;
}

export class ComputeWindows {
  private lostEarlier: string | undefined;

  constructor(private readonly opener: DeviceLinkOpener) {}

  state(): WindowState {
    return { lostEarlier: this.lostEarlier };
  }

  async open(): Promise<DeviceLink> {
    const link = await this.opener();
    link.onClose((why) => this.noteLost(why));
    return link;
  }

  /** A window went, or its GPU device did (WebGPU's device.lost): 'auto' avoids windows from now on. */
  noteLost(why: string): void {
    this.lostEarlier = why;
  }
}
