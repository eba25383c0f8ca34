/**
 * Entry of the compute window (src-renderer/compute.html): registers tfjs' WebGPU backend (WebGL
 * comes with tfjs) and serves the host that sends it a port. Electron: the window's preload hands
 * over a MessagePort from main (window.postMessage with the port transferred, the pattern
 * Electron documents for sandboxed pages). The Chromium test target defines __ganvasDeviceHost instead.
 */
import '@tensorflow/tfjs-backend-webgpu';
import { DEVICE_PORT_MESSAGE } from '../../../shared/compute-port';
import { serveHost, type HostPort } from './device-page';
import type { DeviceReply, DeviceRequest } from './device-protocol';

interface MessagePortLike {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

function fromMessagePort(port: MessagePortLike): HostPort {
  return {
    postMessage: (message: DeviceReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer),
    onMessage: (listener) => (port.onmessage = (event) => listener(event.data as DeviceRequest)),
  };
}

const page = globalThis as unknown as {
  __ganvasDeviceHost?: HostPort;
  addEventListener(type: 'message', listener: (event: { data: unknown; source: unknown; ports: readonly MessagePortLike[] }) => void): void;
};

if (page.__ganvasDeviceHost) {
  serveHost(page.__ganvasDeviceHost);
} else {
  page.addEventListener('message', (event) => {
    // Only the preload (same window) hands over the port, once.
    if (event.source !== page || event.data !== DEVICE_PORT_MESSAGE || !event.ports[0]) return;
    serveHost(fromMessagePort(event.ports[0]));
  });
}
