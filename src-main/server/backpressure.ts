/**
 * Sending without letting a slow reader grow the server's memory: after queueing a frame, a
 * sender whose socket holds more than `highWater` bytes not yet handed to the kernel waits until
 * that frame has been written (WebSocket's send callback), i.e. until the client has read enough
 * for the kernel to take more. A socket that closes meanwhile rejects the wait.
 */
import WebSocket from 'ws';

export function sendPaced(ws: WebSocket, data: Buffer | string, highWater: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ws.readyState !== WebSocket.OPEN) return reject(new Error('the connection closed'));
    let waiting = false;
    const onClose = () => reject(new Error('the connection closed'));
    ws.send(data, (err) => {
      if (!waiting) return;
      ws.off('close', onClose);
      if (err) reject(err);
      else resolve();
    });
    // The callback above runs once the frame is written out, never synchronously.
    if (ws.bufferedAmount <= highWater) return resolve();
    waiting = true;
    ws.once('close', onClose);
  });
}
