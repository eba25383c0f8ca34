/**
 * Sandboxed preload: exposes `window.ganvas`, one named method per contract entry. The renderer
 * never sees ipcRenderer itself, so it can only reach the channels the contract declares.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { channels } from '../shared/contract';
import { buildBridge, type ApiEventEnvelope } from '../shared/bridge';

const bridge = buildBridge(
  (name, payload) => ipcRenderer.invoke(channels.invoke(name), payload),
  (listener) => {
    const forward = (_event: IpcRendererEvent, envelope: ApiEventEnvelope) => listener(envelope);
    ipcRenderer.on(channels.event, forward);
    return () => {
      ipcRenderer.removeListener(channels.event, forward);
    };
  },
);

contextBridge.exposeInMainWorld('ganvas', bridge);

// A dropped folder's File has no path in the page (File.path was removed in Electron 32);
// webUtils, only reachable here, gives it — and main grants it, since the user chose it by dropping.
// Only a real dropped (or picked) File has a path: a File the page makes itself gives '', so a
// compromised page cannot grant itself an arbitrary folder through this.
contextBridge.exposeInMainWorld('ganvasShell', {
  pathForFile: (file: File) => {
    const path = webUtils.getPathForFile(file);
    if (path) ipcRenderer.send(channels.grantDrop, path);
    return path;
  },
});
