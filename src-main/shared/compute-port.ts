/**
 * How the compute window gets its MessagePort: main sends it on an IPC channel to the window's
 * preload, which posts it to the page with a window message. Plain strings, shared by the three.
 */
export const DEVICE_PORT_CHANNEL = 'ganvas:device-port';
export const DEVICE_PORT_MESSAGE = 'ganvas-device-port';
