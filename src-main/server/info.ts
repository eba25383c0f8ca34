/** What a server says about itself to its clients: version, host name, GPUs. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerInfo } from '../shared/types/connection';

/** Ganvas's version from its package.json (found above this file, from source or from out/main). */
export function appVersion(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ganvas' && pkg.version) return pkg.version;
    } catch {
      /* not here */
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** The GPU names nvidia-smi lists; none when it is missing or slow. */
export function gpuNames(): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { timeout: 3000 }, (err, stdout) => {
      resolve(
        err
          ? []
          : stdout
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean),
      );
    });
  });
}

export async function serverInfo(root: string): Promise<ServerInfo> {
  return { version: appVersion(), host: os.hostname(), root, gpus: await gpuNames() };
}
