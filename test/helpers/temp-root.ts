/**
 * Vitest global setup: every test file's temporary folders (tempDir, mkdtemp on os.tmpdir(), the
 * CLI children they spawn) go under one folder per run, removed when the run ends. Without it a
 * full run left ~3,500 folders (~16 GB) in the OS temp dir, which once filled the CI machine's disk.
 * Workers are forked after this runs, so they inherit TMPDIR (os.tmpdir() reads it on every call).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-unit-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.GANVAS_KEEP_TEST_TMP) console.log(`unit tests' temporary folders kept in ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  };
}
