// `npm run check:electron`: @doyensec/electronegativity over the Electron shell and the renderer,
// failing on any finding that build/electronegativity.config.mjs does not accept with a reason.
// Runs offline: the tool's own network calls (translations, release lists) are answered "offline".
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import config from './electronegativity.config.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');

// The tool fetches translations (1 s timeout) and release lists with `got`: give it one that fails at once.
const runnerPath = require.resolve('@doyensec/electronegativity/dist/runner.js');
const gotPath = createRequire(runnerPath).resolve('got');
const offline = () => Promise.reject(new Error('electronegativity runs offline here'));
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };
const run = require(runnerPath);

/** Copies the scanned paths into a scratch folder (the tool takes one input folder). */
function stage() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-electronegativity-'));
  for (const entry of config.scan) {
    fs.cpSync(path.join(root, entry), path.join(dir, entry), {
      recursive: true,
      filter: (source) => !source.split(path.sep).includes('node_modules'),
    });
  }
  return dir;
}

const key = (finding) => `${finding.check} ${finding.file}`;

const dir = stage();
let result;
const log = console.log;
try {
  // The tool announces its failed translation download on stdout; nothing else it logs is lost.
  console.log = (...args) => (String(args[0]).startsWith('Could not retrieve updated translations') ? undefined : log(...args));
  const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.electron;
  result = await run({
    input: dir,
    isRelative: true,
    electronVersionOverride: electronVersion,
    customScan: [],
    excludeFromScan: config.excludedChecks,
    parserPlugins: [],
  });
} finally {
  console.log = log;
  fs.rmSync(dir, { recursive: true, force: true });
}

const found = result.issues.map((issue) => ({
  check: issue.id,
  file: issue.file.split(path.sep).join('/'),
  line: issue.location.line,
  severity: issue.severity.name,
  description: issue.description,
}));
const accepted = new Map(config.accepted.map((entry) => [key(entry), entry]));
const unexplained = found.filter((finding) => !accepted.has(key(finding)));
const stale = config.accepted.filter((entry) => !found.some((finding) => key(finding) === key(entry)));
const unreadable = result.errors.filter((error) => !error.tolerable);

console.log(
  `electronegativity: ${result.globalChecks + result.atomicChecks} checks over ${config.scan.join(', ')}; ` +
    `${found.length} finding(s), ${found.length - unexplained.length} accepted`,
);
for (const finding of found) {
  const entry = accepted.get(key(finding));
  const mark = entry ? `accepted: ${entry.why}` : 'NOT ACCEPTED';
  console.log(`  ${finding.check} ${finding.file}:${finding.line} [${finding.severity}] ${finding.description} (${mark})`);
}
for (const error of result.errors) console.log(`  ${error.tolerable ? 'warning' : 'ERROR'} reading ${error.file}: ${error.message}`);
for (const entry of stale)
  console.log(`  STALE: ${key(entry)} is accepted in build/electronegativity.config.mjs but no longer found; remove it`);

if (unexplained.length > 0 || stale.length > 0 || unreadable.length > 0) {
  console.error('check:electron failed: explain each finding in build/electronegativity.config.mjs, or fix it');
  process.exit(1);
}
