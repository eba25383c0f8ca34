/**
 * The trust boundary: through the same dispatch the Electron IPC and the e2e bridge use, a
 * payload can only touch paths the user granted. Each attack below worked before path grants.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, PathGrants, type EngineHost } from '../../src-main/engine/api/engine-api';
import { createProject } from '../../src-main/engine/project/create';
import { errorCode, fromWire } from '../../src-main/shared/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-grants-'));
const home = path.join(root, 'home');
const projectDir = path.join(root, 'projects', 'mine');
let confirmAnswer = false;
const asked: string[] = [];
let grants: PathGrants;
let engine: EngineHost;

const walk = { kind: 'path' as const, endpoints: [{ kind: 'seed' as const, seed: 1 }, { kind: 'seed' as const, seed: 2 }], mode: 'linear' as const, framesPerSegment: 2 };
const exportTo = (out: string, format: 'gif' | 'json' = 'json') =>
  engine.call('exportWalk', { dir: projectDir, spec: walk, options: { format, out, fps: 10, scale: 1 } });
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => fromWire(e));

beforeAll(async () => {
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
  fs.writeFileSync(path.join(home, '.ssh', 'authorized_keys'), 'ssh-ed25519 AAAA trusted\n', { mode: 0o600 });
  fs.writeFileSync(path.join(home, '.bashrc'), '# shell start-up\n');
  fs.symlinkSync(path.join(home, '.bashrc'), path.join(home, 'link-to-bashrc'));
  await createProject({ dir: projectDir, dataset: { kind: 'mnist' }, ngf: 8, ndf: 8, zDim: 8, batchSize: 16, name: 'x$(touch pwned)' });
  grants = new PathGrants({
    confirm: async (r) => {
      asked.push(`${r.kind} ${r.path}`);
      return confirmAnswer;
    },
  });
  engine = createEngine({ stateDir: path.join(root, 'state'), channel: 'in-process', guard: grants });
});

afterAll(async () => {
  await engine.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('path grants', () => {
  it('should refuse an export over a private file, a shell start-up file or a symlink without a save-dialog answer', async () => {
    for (const target of [path.join(home, '.ssh', 'authorized_keys'), path.join(home, '.bashrc'), path.join(home, 'link-to-bashrc')]) {
      const error = await failure(exportTo(target));
      expect(error?.code).toBe('refused');
    }
    expect(fs.readFileSync(path.join(home, '.ssh', 'authorized_keys'), 'utf8')).toBe('ssh-ed25519 AAAA trusted\n');
    expect(fs.statSync(path.join(home, '.ssh', 'authorized_keys')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(home, '.bashrc'), 'utf8')).toBe('# shell start-up\n');
    expect(fs.lstatSync(path.join(home, 'link-to-bashrc')).isSymbolicLink()).toBe(true);
  });

  it('should refuse a relative export path', async () => {
    expect((await failure(exportTo('walk.json')))?.code).toBe('refused');
  });

  it('should write where the save dialog answered, exactly once', async () => {
    const out = path.join(root, 'exports', 'walk.gif');
    fs.mkdirSync(path.dirname(out));
    const answer = await engine.call('chooseSaveFile', {}, async () => out);
    expect(answer).toBe(out);
    await exportTo(out, 'gif');
    expect(fs.readFileSync(out).subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect((await failure(exportTo(out, 'gif')))?.code).toBe('refused');
    // The grant was for that file: a sibling is still refused.
    await engine.call('chooseSaveFile', {}, async () => out);
    expect((await failure(exportTo(path.join(root, 'exports', 'other.gif'))))?.code).toBe('refused');
  });

  it('should create a project in a typed folder only after main confirms it, and only in an empty one', async () => {
    const target = path.join(home, 'new-project');
    confirmAnswer = false;
    expect((await failure(engine.call('createProject', { dir: target, dataset: { kind: 'mnist' }, ngf: 8, ndf: 8 })))?.code).toBe('refused');
    expect(fs.existsSync(target)).toBe(false);
    expect(asked).toContain(`new-project ${target}`);
    confirmAnswer = true;
    const error = await failure(engine.call('createProject', { dir: home, dataset: { kind: 'mnist' }, ngf: 8, ndf: 8 }));
    expect(error?.code).toBe('refused');
    expect(error?.message).toMatch(/is not empty/);
    expect(fs.existsSync(path.join(home, 'project.json'))).toBe(false);
    confirmAnswer = false;
  });

  it('should read an image folder only when it was chosen or confirmed', async () => {
    const images = path.join(home, 'Pictures');
    fs.mkdirSync(images);
    grants.grantFolder(path.join(root, 'chosen'));
    const error = await failure(
      engine.call('createProject', { dir: path.join(root, 'chosen', 'p'), dataset: { kind: 'folder', path: images } }),
    );
    expect(error?.code).toBe('refused');
    expect(asked).toContain(`read ${images}`);
  });

  it('should not read files of a folder that is not a project, and not say whether a path exists', async () => {
    const fake = path.join(home, 'not-a-project');
    fs.mkdirSync(path.join(fake, 'samples'), { recursive: true });
    fs.writeFileSync(path.join(fake, 'samples', 'step-00000000.png'), 'secret');
    const read = await failure(engine.call('sampleGridImage', { dir: fake, step: 0 }));
    expect(read?.code).toBe('refused');
    const existing = await failure(engine.call('openProject', { dir: fake }));
    const missing = await failure(engine.call('openProject', { dir: path.join(home, 'no-such-folder') }));
    expect(existing?.message.replace(fake, 'X')).toBe(missing?.message.replace(path.join(home, 'no-such-folder'), 'X'));
  });

  it('should open a typed path that really is a Ganvas project', async () => {
    const summary = (await engine.call('openProject', { dir: projectDir })) as { config: { name: string } };
    expect(summary.config.name).toBe('x$(touch pwned)');
  });

  it('should grant what a folder picker answered', async () => {
    const picked = path.join(root, 'picked');
    await engine.call('chooseDirectory', {}, async () => picked);
    confirmAnswer = false;
    await expect(grants.check('new-project', path.join(picked, 'fresh'))).resolves.toBeUndefined();
    expect(errorCode(await grants.check('new-project', path.join(root, 'elsewhere')).catch((e: unknown) => e))).toBe('refused');
  });
});
