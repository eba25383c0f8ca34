/**
 * The files docs/cluster.md gives for running Ganvas where the GPUs are. None of them can run
 * here (no Docker daemon, no Kubernetes), so they are checked as far as a machine without them
 * can: the Dockerfile parsed and its pinned versions checked against the tfjs-node-gpu the app
 * depends on; the Kubernetes manifests validated against the Kubernetes API schemas (npm
 * kubernetes-models); the Slurm scripts parsed by bash (build/cluster/slurm-smoke.sh runs them
 * for real where slurm-wlm installs).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const repo = path.resolve(import.meta.dirname, '../..');
const read = (rel: string) => fs.readFileSync(path.join(repo, rel), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; engines: { node: string }; optionalDependencies: Record<string, string> };

/** The CUDA/cuDNN each tfjs-node-gpu release's libtensorflow needs (tfjs-node's README). */
const TFJS_GPU_STACK: Record<string, { libtensorflow: string; cuda: string; cudnn: string }> = {
  '4.22.0': { libtensorflow: '2.9.1', cuda: '11.2', cudnn: '8.1' },
};

describe('Dockerfile (build/docker/Dockerfile)', () => {
  const dockerfile = DockerfileParser.parse(read('build/docker/Dockerfile'));
  const args = Object.fromEntries(dockerfile.getInitialARGs().map((a) => [a.getProperty()!.getName(), a.getProperty()!.getValue()]));
  const instructions = dockerfile.getInstructions();
  const runs = instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent() ?? '');

  it('should build on the CUDA and cuDNN that its tfjs-node-gpu was built against, pinned', () => {
    const stack = TFJS_GPU_STACK[pkg.optionalDependencies['@tensorflow/tfjs-node-gpu']];
    expect(stack, 'a tfjs-node-gpu version without a known CUDA stack: update TFJS_GPU_STACK and the Dockerfile').toBeDefined();
    expect(args.CUDA_IMAGE).toBe(`nvidia/cuda:${stack.cuda}.2-cudnn${stack.cudnn.split('.')[0]}-runtime-ubuntu20.04`);
    const cudnnArg = instructions.find((i) => i.getKeyword() === 'ARG' && /^CUDNN_VERSION=/.test(i.getArgumentsContent() ?? ''));
    const cudnn = cudnnArg!.getArgumentsContent()!.split('=')[1];
    expect(cudnn).toMatch(new RegExp(`^${stack.cudnn.replace('.', '\\.')}\\.\\d+\\.\\d+-1\\+cuda${stack.cuda.replace('.', '\\.')}$`));
    expect(runs.some((r) => r.includes('"libcudnn8=${CUDNN_VERSION}"') && r.includes('apt-mark hold libcudnn8'))).toBe(true);
  });

  it('should pin every base image to an exact tag, and run the app on the Node its package.json asks for', () => {
    const froms = dockerfile.getFROMs().map((f) => f.getImageName());
    expect(froms).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}', '${CUDA_IMAGE}']);
    for (const image of [args.CUDA_IMAGE, args.NODE_IMAGE]) expect(image).toMatch(/^[a-z/]+:[0-9][\w.-]+$/);
    const nodeVersion = /^node:(\d+)\.(\d+)\.(\d+)-/.exec(args.NODE_IMAGE!);
    const wanted = /^>=(\d+)\.(\d+)/.exec(pkg.engines.node)!;
    expect(Number(nodeVersion![1])).toBe(Number(wanted[1]));
    expect(Number(nodeVersion![2])).toBeGreaterThanOrEqual(Number(wanted[2]));
    // Bullseye's glibc (2.31) is Ubuntu 20.04's: the copied node binary runs on the CUDA image.
    expect(args.NODE_IMAGE).toMatch(/-bullseye-slim$/);
  });

  it("should install with the lockfile, check tfjs-node-gpu's native binding, and serve as a non-root user", () => {
    expect(runs.some((r) => /npm ci\b/.test(r) && r.includes('tfjs-node-gpu/lib/napi-v8/tfjs_binding.node'))).toBe(true);
    const last = (keyword: string) => instructions.filter((i) => i.getKeyword() === keyword).at(-1)!.getArgumentsContent();
    expect(last('USER')).toBe('ganvas');
    expect(JSON.parse(last('ENTRYPOINT')!)).toEqual(['node', '/app/out/main/cli.js']);
    expect(JSON.parse(last('CMD')!)).toEqual(['serve', '--root', '/projects', '--host', '0.0.0.0', '--port', '7420']);
    expect(last('EXPOSE')).toBe('7420');
    // The entry it runs is one electron-vite builds.
    expect(read('electron.vite.config.ts')).toMatch(/cli: fromRoot\('src-main\/cli\/index\.ts'\)/);
  });
});

describe('Kubernetes manifests (build/cluster/k8s)', () => {
  const docs = (file: string) => parseAllDocuments(read(`build/cluster/k8s/${file}`)).map((d) => d.toJS() as Record<string, unknown>);
  const kinds = { Job, Deployment, Service } as const;
  const validate = (doc: Record<string, unknown>) => {
    const Model = kinds[doc.kind as keyof typeof kinds];
    expect(Model, `no schema for ${String(doc.kind)}`).toBeDefined();
    new Model(doc as never).validate();
  };
  const image = `ghcr.io/ganvas/ganvas-server:${pkg.version}`;

  it('should be valid Kubernetes objects', () => {
    const all = [...docs('train-job.yaml'), ...docs('serve.yaml')];
    expect(all.map((d) => `${String(d.apiVersion)}/${String(d.kind)}`)).toEqual(['batch/v1/Job', 'apps/v1/Deployment', 'v1/Service']);
    for (const doc of all) validate(doc);
  });

  it('should catch a broken manifest (the validator is really checking)', () => {
    const [job] = docs('train-job.yaml') as { spec: { template: { spec: { restartPolicy: string } }; backoffLimit: unknown } }[];
    job.spec.template.spec.restartPolicy = 'Sometimes';
    expect(() => validate(job as never)).toThrow(/restartPolicy must be equal to one of the allowed values/);
    const [again] = docs('train-job.yaml') as { spec: { backoffLimit: unknown } }[];
    again.spec.backoffLimit = 'six';
    expect(() => validate(again as never)).toThrow(/backoffLimit must be integer/);
  });

  it('should train one project of the sweep per index, on a GPU, resuming after a restart', () => {
    const [job] = docs('train-job.yaml') as unknown as [InstanceType<typeof Job>];
    expect(job.spec!.completionMode).toBe('Indexed');
    const pod = job.spec!.template.spec!;
    expect(pod.restartPolicy).toBe('OnFailure');
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(60);
    const [container] = pod.containers;
    expect(container.image).toBe(image);
    expect(container.args!.join(' ')).toMatch(/cli\.js train "\/projects\/\$\(sed -n "\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)p" \/projects\/sweep\.txt\)"/);
    expect(container.resources!.limits!['nvidia.com/gpu']).toBe(1);
    expect(pod.volumes![0].persistentVolumeClaim!.claimName).toBe('ganvas-projects');
  });

  it('should serve the same volume with the token from a Secret, behind a cluster-internal Service', () => {
    const [deployment, service] = docs('serve.yaml') as unknown as [InstanceType<typeof Deployment>, InstanceType<typeof Service>];
    const pod = deployment.spec!.template.spec!;
    const [container] = pod.containers;
    expect(container.image).toBe(image);
    expect(container.args).toEqual(['serve', '--root', '/projects', '--host', '0.0.0.0', '--port', '7420', '--token-file', '/var/run/ganvas/token']);
    const tokenMount = container.volumeMounts!.find((m) => m.name === 'token')!;
    expect(`${tokenMount.mountPath}/token`).toBe('/var/run/ganvas/token');
    const tokenVolume = pod.volumes!.find((v) => v.name === 'token')!;
    expect(tokenVolume.secret!.defaultMode).toBe(0o400);
    expect(pod.volumes!.find((v) => v.name === 'projects')!.persistentVolumeClaim!.claimName).toBe('ganvas-projects');
    expect(deployment.spec!.replicas).toBe(1);
    expect(service.spec!.type).toBe('ClusterIP');
    expect(service.spec!.selector).toEqual(deployment.spec!.selector.matchLabels);
  });
});

describe('Slurm scripts (build/cluster)', () => {
  it('should be valid bash, and the batch script should exec ganvas train with Slurm directives', () => {
    for (const script of ['ganvas-train.sbatch', 'slurm-smoke.sh']) execFileSync('bash', ['-n', path.join(repo, 'build/cluster', script)]);
    const sbatch = read('build/cluster/ganvas-train.sbatch');
    expect(sbatch).toMatch(/^#SBATCH --signal=B:TERM@\d+$/m);
    expect(sbatch).toMatch(/^exec \$\{GANVAS:-ganvas\} train "\$project" --json "\$@"$/m);
    expect(read('build/cluster/slurm-smoke.sh')).toMatch(/SKIPPED/);
  });
});
