// Electron's ipcRenderer.invoke rejects with "Error invoking remote method 'channel': Error: msg"
// (main's err.toString()). Only "msg" is meant for the person using the app.
const ipcErrorPrefix = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

/** The message of anything thrown by an API call, without transport noise. */
export function readableMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const message = raw.replace(ipcErrorPrefix, '').trim();
  return message || 'Something went wrong (no details were given).';
}
