/**
 * Looking at this machine's NVIDIA driver and CUDA libraries, once per process, before
 * tfjs-node-gpu loads: one `nvidia-smi` query (with a timeout), the loader's library list
 * (`ldconfig -p` and LD_LIBRARY_PATH on Linux, PATH on Windows), and CUDA's kernel cache set up
 * for a GPU newer than the build. gpu-diagnostics.ts turns what it sees into findings.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { applyCudaCache, planCudaCache } from './gpu-cache';
import { gpusNeedingJit, type GpuEnvironment, type NvidiaGpu, type NvidiaSmi } from './gpu-diagnostics';
import { matchCudaLibrary, type FoundLibrary } from './gpu-libraries';

/** nvidia-smi can hang on a wedged driver; a backend report must not. */
const SMI_TIMEOUT_MS = 5000;

type RunResult = { ok: true; stdout: string } | { ok: false; missing: boolean; message: string };

function run(file: string, args: string[]): Promise<RunResult> {
  return new Promise((done) => {
    execFile(file, args, { timeout: SMI_TIMEOUT_MS, windowsHide: true, encoding: 'utf8', maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      if (!err) return done({ ok: true, stdout });
      const e = err as NodeJS.ErrnoException & { killed?: boolean };
      const text = `${stdout}\n${stderr}`.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
      const message = e.killed ? `no answer within ${SMI_TIMEOUT_MS / 1000} s` : (text ?? e.message).slice(0, 200);
      done({ ok: false, missing: e.code === 'ENOENT', message });
    });
  });
}

/**
 * `nvidia-smi --query-gpu=... --format=csv,noheader` lines -> GPUs. With `withCapability` the
 * columns are name, compute_cap, driver_version; without (drivers before compute_cap existed)
 * name, driver_version.
 */
export function parseNvidiaSmi(stdout: string, withCapability: boolean): NvidiaGpu[] {
  return stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const cols = line.split(',').map((c) => c.trim());
      const driverVersion = cols.pop() ?? '';
      const cc = withCapability ? (cols.pop() ?? '') : '';
      return { name: cols.join(','), computeCapability: /^\d+\.\d+$/.test(cc) ? cc : null, driverVersion };
    });
}

async function queryNvidiaSmi(platform: NodeJS.Platform): Promise<NvidiaSmi> {
  const format = '--format=csv,noheader';
  // Windows drivers put nvidia-smi in System32 (on PATH); older ones in NVSMI, which is not.
  const candidates = ['nvidia-smi'];
  if (platform === 'win32') candidates.push(`${process.env.ProgramFiles ?? 'C:\\Program Files'}\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe`);
  for (const smi of candidates) {
    let result = await run(smi, ['--query-gpu=name,compute_cap,driver_version', format]);
    if (!result.ok && result.missing) continue;
    let withCapability = true;
    if (!result.ok && /compute_cap/.test(result.message)) {
      withCapability = false;
      result = await run(smi, ['--query-gpu=name,driver_version', format]);
    }
    return result.ok ? { kind: 'ok', gpus: parseNvidiaSmi(result.stdout, withCapability) } : { kind: 'failed', message: result.message };
  }
  return { kind: 'absent' };
}

/** `ldconfig -p` -> the library file names in the loader's cache. */
export function parseLdconfig(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => /^\s+(\S+)\s+\(/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** Every CUDA/cuDNN library TensorFlow might load, by where the dynamic loader looks. */
async function findCudaLibraries(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Promise<FoundLibrary[]> {
  const names: string[] = [];
  if (platform !== 'win32') {
    // ldconfig lives in /sbin, which is not on every user's PATH.
    for (const ldconfig of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
      const result = await run(ldconfig, ['-p']);
      if (result.ok) names.push(...parseLdconfig(result.stdout));
      if (result.ok || !result.missing) break;
    }
  }
  const searchPath = platform === 'win32' ? env.PATH : env.LD_LIBRARY_PATH;
  for (const dir of (searchPath ?? '').split(platform === 'win32' ? ';' : ':')) {
    if (dir.length === 0) continue;
    try {
      names.push(...readdirSync(dir));
    } catch {
      // A PATH entry that does not exist is common and harmless.
    }
  }
  const seen = new Set<string>();
  return names.flatMap((file) => {
    const lib = matchCudaLibrary(file, platform);
    if (lib === null || seen.has(file)) return [];
    seen.add(file);
    return [lib];
  });
}

let prepared: Promise<GpuEnvironment> | undefined;

/**
 * Probes once per process and sets CUDA's kernel cache up in process.env (before the addon loads).
 * macOS has no CUDA: nothing is run there.
 */
export function prepareGpuEnvironment(): Promise<GpuEnvironment> {
  prepared ??= (async (): Promise<GpuEnvironment> => {
    const platform = process.platform;
    if (platform === 'darwin') return { platform, smi: { kind: 'absent' }, libraries: [], cache: null };
    const [smi, libraries] = await Promise.all([queryNvidiaSmi(platform), findCudaLibraries(platform, process.env)]);
    const plan = planCudaCache(gpusNeedingJit(smi), process.env, platform, homedir());
    const cache = plan && applyCudaCache(plan, process.env, (dir) => mkdirSync(dir, { recursive: true }));
    return { platform, smi, libraries, cache };
  })();
  return prepared;
}
