import { num, str, UsageError } from '../args';
import type { CliCommand } from '../command';
import { note } from '../session';

/**
 * Serves the engine to the desktop app over a WebSocket until Ctrl-C / SIGTERM (docs/server.md).
 * Runs on the server belong to it: a client that goes away stops nothing.
 */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'serve the engine to the desktop app over a WebSocket (projects under --root)',
  usage:
    'serve --root <folder> [--host 127.0.0.1] [--port 7420] [--token-file ~/.ganvas/server.token] [--tls-cert cert.pem --tls-key key.pem]',
  options: {
    root: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'token-file': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
  async run({ values: v }) {
    const root = str(v.root);
    if (!root) throw new UsageError('--root is required: the folder every project on this server lives under');
    const port = num('port', v.port) ?? 7420;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got '${v.port}'`);
    const cert = str(v['tls-cert']);
    const key = str(v['tls-key']);
    if (Boolean(cert) !== Boolean(key)) throw new UsageError('--tls-cert and --tls-key go together');
    const { serve } = await import('../../server/serve');
    const running = await serve({
      root,
      host: str(v.host) ?? '127.0.0.1',
      port,
      tokenFile: str(v['token-file']),
      tls: cert && key ? { cert, key } : undefined,
      print: (line) => process.stdout.write(`${line}\n`),
      log: note,
    });
    await new Promise<void>((resolve) => {
      const stop = () => {
        note('Stopping: running trainings write a checkpoint first...');
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await running.stop();
  },
};
