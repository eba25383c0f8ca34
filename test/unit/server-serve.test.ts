/** `ganvas serve` as a person starts it: flags, what it prints, TLS, the warning on an open interface. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src-main/cli/main';
import { RemoteEngine } from '../../src-main/remote/client';
import { serve } from '../../src-main/server/serve';
import { tempDir } from '../helpers/projects';

/** Runs the CLI in-process; its stderr lines. */
async function cliErrors(args: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  try {
    return { code: await runCli(args), stderr: lines.join('\n') };
  } finally {
    error.mockRestore();
  }
}

describe('ganvas serve', () => {
  it('should answer bad flags with a usage error', async () => {
    expect(await cliErrors(['serve'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--root is required/) });
    expect(await cliErrors(['serve', '--root', '/tmp', '--port', '70000'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--port must be 0..65535/) });
    expect(await cliErrors(['serve', '--root', '/tmp', '--tls-cert', 'c.pem'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/go together/) });
    expect(await cliErrors(['serve', '--root', '/no/such/root', '--port', '0'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/root folder \/no\/such\/root does not exist/) });
  });

  it('should print the url and token, keep the token in its file, and say when it listens openly without TLS', async () => {
    const dir = tempDir();
    const printed: string[] = [];
    const logged: string[] = [];
    const running = await serve({
      root: dir,
      host: '0.0.0.0',
      port: 0,
      tokenFile: path.join(dir, 'state', 'token'),
      print: (l) => printed.push(l),
      log: (l) => logged.push(l),
    });
    try {
      const token = fs.readFileSync(path.join(dir, 'state', 'token'), 'utf8').trim();
      expect(printed.join('\n')).toContain(`token: ${token}`);
      expect(printed.join('\n')).toMatch(/url:\s+ws:\/\/0\.0\.0\.0:\d+/);
      expect(logged.join('\n')).toMatch(/without TLS: the token and your images cross the network unencrypted/);
      const client = await RemoteEngine.connect(`ws://127.0.0.1:${running.server.port}`, token, { reconnect: false });
      await expect(client.call('ping', { t: 1 })).resolves.toEqual({ t: 1 });
      client.close();
    } finally {
      await running.stop();
    }
  });

  it('should serve wss:// with a certificate and key', async () => {
    const dir = tempDir();
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', key, '-out', cert, '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], {
      stdio: 'ignore',
    });
    const logged: string[] = [];
    const running = await serve({ root: dir, host: '127.0.0.1', port: 0, tokenFile: path.join(dir, 'token'), tls: { cert, key }, print: () => {}, log: (l) => logged.push(l) });
    try {
      expect(running.server.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
      const token = fs.readFileSync(path.join(dir, 'token'), 'utf8').trim();
      // A self-signed certificate is trusted only when given; without it the handshake fails.
      await expect(RemoteEngine.connect(running.server.url, token, { reconnect: false })).rejects.toThrow(/Could not reach an engine/);
      const client = await RemoteEngine.connect(running.server.url, token, { reconnect: false, ca: fs.readFileSync(cert) });
      await expect(client.call('ping', { t: 2 })).resolves.toEqual({ t: 2 });
      client.close();
      expect(logged.join('\n')).not.toMatch(/without TLS/);
    } finally {
      await running.stop();
    }
  });
});
