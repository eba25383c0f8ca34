/**
 * The inspect views' rules on hand-built inputs: the guided-backprop gradient gate, dropping a
 * feature map, filter tile layout, box labels and the logistic regression.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { defaultModelConfig, type LayerSpec } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { createNetwork, discriminate, disposeNetwork, type Network } from '../../src-main/engine/models/network';
import { runGenerator } from '../../src-main/engine/inspect/activations';
import { networkFilters, renderFilters } from '../../src-main/engine/inspect/filters';
import { featureMaps } from '../../src-main/engine/inspect/features';
import { boxLabels, dropMaps, fitForget, renderForget } from '../../src-main/engine/inspect/forget';
import { guidedOverride, responseGradient } from '../../src-main/engine/inspect/guided';
import { fitLogistic } from '../../src-main/engine/inspect/logistic';
import { generateImages } from '../../src-main/engine/sampling/sampler';
import { oneHot } from '../../src-main/engine/sampling/noise';
import { latentVectors } from '../../src-main/engine/sampling/noise';
import { Rng } from '../../src-main/engine/util/rng';
import { bareProject } from '../helpers/projects';

beforeAll(async () => {
  await selectBackend('wasm');
});

/**
 * x [1,2,2,1] -> 1x1 conv to 2 channels (w = [1, -1]) -> rectifier -> 2x2 conv to 1 logit (v).
 * logit = sum_p sum_ch v[p,ch] * act(w_ch * x_p), so d logit / d x_p is a sum over channels.
 */
function tinyNet(activation: 'relu' | 'lrelu'): Network {
  const spec: LayerSpec[] = [
    {
      name: 'd1',
      kind: 'conv',
      inChannels: 1,
      outChannels: 2,
      kernel: 1,
      stride: 1,
      padding: 'valid',
      outSize: 2,
      batchNorm: false,
      activation,
    },
    {
      name: 'd2',
      kind: 'conv',
      inChannels: 2,
      outChannels: 1,
      kernel: 2,
      stride: 1,
      padding: 'valid',
      outSize: 1,
      batchNorm: false,
      activation: 'none',
    },
  ];
  const net = createNetwork(spec, new Rng(1), 'tiny');
  net.params.get('d1.w')!.assign(tf.tensor4d([1, -1], [1, 1, 1, 2]));
  // v[y, x, ch] for positions p0=(0,0), p1=(0,1), p2=(1,0), p3=(1,1).
  net.params.get('d2.w')!.assign(tf.tensor4d([2, -1, -3, 0.5, -1, 4, 0.7, -2], [2, 2, 2, 1]));
  return net;
}

const X = [1, -2, 0.5, 3];

function logitGradient(net: Network, guided: boolean): number[] {
  return tf.tidy(() => {
    const f = (x: tf.Tensor) =>
      tf.sum(discriminate(net, x as tf.Tensor4D, null, { training: false, activationOverride: guided ? guidedOverride : undefined }));
    return Array.from(
      tf
        .grad(f)(tf.tensor4d(X, [1, 2, 2, 1]))
        .dataSync(),
    );
  });
}

describe('guided backpropagation', () => {
  it('should pass a ReLU gradient only where the input and the incoming gradient are both positive', () => {
    const net = tinyNet('relu');
    const before = tf.memory().numTensors;
    // By hand: only one channel is active per position (w = [1, -1]); its v is the incoming gradient.
    // p0 x=1: ch0 on, v=2 -> 2.  p1 x=-2: ch1 on, v=0.5 -> 0.5 * -1.  p2 x=0.5: ch0 on, v=-1 -> plain -1, guided 0.
    // p3 x=3: ch0 on, v=0.7 -> 0.7.
    const plain = logitGradient(net, false);
    const guided = logitGradient(net, true);
    expect(plain.map((v) => +v.toFixed(5))).toEqual([2, -0.5, -1, 0.7]);
    expect(guided.map((v) => +v.toFixed(5))).toEqual([2, -0.5, 0, 0.7]);
    // The forward value is unchanged by the override.
    const logit = (guide: boolean) =>
      tf.tidy(
        () =>
          discriminate(net, tf.tensor4d(X, [1, 2, 2, 1]), null, {
            training: false,
            activationOverride: guide ? guidedOverride : undefined,
          }).dataSync()[0],
      );
    expect(logit(true)).toBeCloseTo(logit(false), 6);
    expect(tf.memory().numTensors).toBe(before);
    disposeNetwork(net);
  });

  it("should use LeakyReLU's slope as the backprop factor and still gate negative gradients", () => {
    const net = tinyNet('lrelu');
    // Factor 1 where w*x > 0, 0.2 elsewhere; guided drops the terms with v < 0.
    // p0: 2*1*1 + (-1)*0.2*(-1) = 2.2 | guided 2.    p1: (-3)*0.2*1 + 0.5*1*(-1) = -1.1 | guided -0.5.
    // p2: (-1)*1*1 + 4*0.2*(-1) = -1.8 | guided -0.8. p3: 0.7*1*1 + (-2)*0.2*(-1) = 1.1 | guided 0.7.
    expect(logitGradient(net, false).map((v) => +v.toFixed(5))).toEqual([2.2, -1.1, -1.8, 1.1]);
    expect(logitGradient(net, true).map((v) => +v.toFixed(5))).toEqual([2, -0.5, -0.8, 0.7]);
    disposeNetwork(net);
  });

  it("should route a channel's maximal response back to the position that produced it", () => {
    const net = tinyNet('relu');
    const grad = (channel: number) =>
      tf.tidy(() => Array.from(responseGradient(net, tf.tensor4d(X, [1, 2, 2, 1]), null, 'd1', channel).dataSync()));
    expect(grad(0)).toEqual([0, 0, 0, 1]); // relu(x) peaks at x=3 (p3), d/dx = w0 = 1
    expect(grad(1)).toEqual([0, -1, 0, 0]); // relu(-x) peaks at x=-2 (p1), d/dx = w1 = -1
    disposeNetwork(net);
  });
});

describe('dropping feature maps', () => {
  const model = defaultModelConfig({ ngf: 8, ndf: 8, zDim: 8 });

  it('should zero exactly the dropped channel of that layer and leave earlier layers untouched', () => {
    const gan = buildGan(model, { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 3 });
    const z = latentVectors(model, 4, 11);
    const all = () => true;
    const plain = runGenerator(gan.G, model, z, null, all);
    const before = tf.memory().numTensors;
    const edited = runGenerator(gan.G, model, z, null, all, dropMaps('g1', [2], 8));
    expect(tf.memory().numTensors).toBe(before);

    expect(edited.acts.get('g0')!.data).toEqual(plain.acts.get('g0')!.data);
    const { shape, data } = edited.acts.get('g1')!;
    const original = plain.acts.get('g1')!.data;
    const c = shape[3];
    let droppedWasLive = false;
    for (let i = 0; i < data.length; i++) {
      if (i % c === 2) {
        expect(data[i]).toBe(0);
        droppedWasLive ||= original[i] > 0;
      } else expect(data[i]).toBe(original[i]);
    }
    expect(droppedWasLive).toBe(true); // so the drop is a real change
    expect(edited.images).not.toEqual(plain.images);
    disposeGan(gan);
  });

  it('should give the normal forward pass when no map is dropped', () => {
    const gan = buildGan(model, { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 3 });
    const z = latentVectors(model, 4, 12);
    const normal = generateImages(gan.G, model, z, null);
    expect(runGenerator(gan.G, model, z, null, () => false, dropMaps('g1', [], 8)).images).toEqual(normal);
    expect(() => dropMaps('g1', [8], 8)).toThrow(/channels 0..7/);
    disposeGan(gan);
  });
});

async function decode(pngBase64: string) {
  const { data, info } = await sharp(Buffer.from(pngBase64, 'base64')).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, channels: info.channels };
}

describe('filter tiles', () => {
  const layer = (over: Partial<LayerSpec>): LayerSpec => ({
    name: 'x',
    kind: 'conv',
    inChannels: 3,
    outChannels: 4,
    kernel: 2,
    stride: 2,
    padding: 'same',
    outSize: 1,
    batchNorm: false,
    activation: 'lrelu',
    ...over,
  });

  it("should draw D's first colour layer as one RGB tile per output channel, zero at mid-grey", async () => {
    const d1 = layer({ name: 'd1' });
    const w = new Float32Array(2 * 2 * 3 * 4); // [k, k, in, out]
    w[((1 * 2 + 0) * 3 + 2) * 4 + 3] = 0.5; // out 3, pixel (x=0, y=1), blue
    w[((0 * 2 + 1) * 3 + 0) * 4 + 3] = -0.25; // out 3, pixel (x=1, y=0), red
    const f = await renderFilters('D', d1, [d1, layer({ name: 'd2' })], w, 3, { norm: 'tile' });
    expect(f.mode).toBe('rgb');
    expect([f.grid.count, f.grid.cols, f.grid.rows]).toEqual([4, 2, 2]);
    const img = await decode(f.grid.pngBase64);
    const px = (tile: number, x: number, y: number) => {
      const ox = 1 + (tile % 2) * 3 + x;
      const oy = 1 + Math.floor(tile / 2) * 3 + y;
      const at = (oy * img.width + ox) * img.channels;
      return Array.from(img.data.subarray(at, at + 3));
    };
    expect(px(3, 0, 1)).toEqual([128, 128, 255]); // +max -> white in that colour
    expect(px(3, 1, 0)).toEqual([Math.round(128 - 127 / 2), 128, 128]);
    expect(px(0, 0, 0)).toEqual([128, 128, 128]); // an all-zero kernel stays grey
  });

  it("should lay out a transposed conv's kernels as rows of output and columns of input channels", async () => {
    const g1 = layer({ name: 'g1', kind: 'deconv', inChannels: 3, outChannels: 2, activation: 'relu' });
    const w = new Float32Array(2 * 2 * 2 * 3); // [k, k, out, in]
    w[((1 * 2 + 0) * 2 + 1) * 3 + 2] = -1; // out 1, in 2, (x=0, y=1)
    w[((0 * 2 + 0) * 2 + 0) * 3 + 0] = 0.5; // out 0, in 0, (0, 0)
    const spec = [layer({ name: 'g0', kind: 'project' }), g1, layer({ name: 'g2', kind: 'deconv' })];
    const tile = await renderFilters('G', g1, spec, w, 1, { norm: 'layer' });
    expect(tile.mode).toBe('matrix');
    expect([tile.grid.rows, tile.grid.cols, tile.maxAbs]).toEqual([2, 3, 1]);
    const img = await decode(tile.grid.pngBase64);
    const px = (row: number, col: number, x: number, y: number) =>
      img.data[((1 + row * 3 + y) * img.width + 1 + col * 3 + x) * img.channels];
    expect(px(1, 2, 0, 1)).toBe(1); // -1 of the layer max -> black
    expect(px(0, 0, 0, 0)).toBe(Math.round(128 + 127 / 2)); // per-layer: 0.5 of max 1
    expect(px(0, 1, 0, 0)).toBe(128);
  });

  it("should refuse G's project layer, which has no spatial kernels", async () => {
    const g0 = layer({ name: 'g0', kind: 'project' });
    await expect(renderFilters('G', g0, [g0], new Float32Array(1), 1)).rejects.toThrow(/no spatial kernels/);
  });
});

describe('forgetting: labels and regression', () => {
  it('should label the positions whose centre lies inside a box', () => {
    // 28 px image, 14x14 map: cell 2 px, centres at 1, 3, 5, ...
    const labels = boxLabels([{ x0: 4, y0: 0, x1: 8, y1: 2 }], 28, 14);
    const on = [...labels].flatMap((v, i) => (v ? [[i % 14, Math.floor(i / 14)]] : []));
    expect(on).toEqual([
      [2, 0],
      [3, 0],
    ]);
  });

  it('should give the predictive feature a positive weight, the anti-predictive one a negative one, deterministically', () => {
    const rng = new Rng(5);
    const n = 600;
    const d = 3;
    const X = new Float32Array(n * d);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 5 === 0 ? 1 : 0; // imbalanced, like boxes
      X[i * d] = 3 * y[i] + rng.normal();
      X[i * d + 1] = 10 - 2 * y[i] + rng.normal();
      X[i * d + 2] = rng.normal();
    }
    const fit = fitLogistic(X, y, d);
    expect(fit.weights[0]).toBeGreaterThan(0.5);
    expect(fit.weights[1]).toBeLessThan(-0.3);
    expect(Math.abs(fit.weights[2])).toBeLessThan(Math.abs(fit.weights[1]) / 2);
    expect(fit.balancedAccuracy).toBeGreaterThan(0.9);
    expect(fitLogistic(X, y, d).weights).toEqual(fit.weights);
    expect(() => fitLogistic(X, new Uint8Array(n), d)).toThrow(/inside and outside/);
  });
});

describe('conditional models', () => {
  it('should feed the class to G and D in every view (label maps on D input are left out of its filters)', async () => {
    const model = defaultModelConfig({ ngf: 8, ndf: 8, zDim: 8, numClasses: 10 });
    const gan = buildGan(model, { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 4 });
    // A project around the hand-built model: generated samples need its config, never its dataset.
    const project = bareProject(model, 4);
    const f = await featureMaps(project, { ...gan, step: 0 }, { kind: 'generated', seed: 2, index: 3, classIndex: 7 });
    expect(f.label).toBe(7);
    const other = await featureMaps(project, { ...gan, step: 0 }, { kind: 'generated', seed: 2, index: 3, classIndex: 1 });
    expect(other.imagePngBase64).not.toBe(f.imagePngBase64); // same z, other class
    const d1 = await networkFilters(gan.D, 'D', 'd1', 1);
    expect([d1.inChannels, d1.mode, d1.grid.count]).toEqual([11, 'grey', 8]);
    const grad = tf.tidy(() => {
      const x = tf.randomUniform([2, 28, 28, 1], -1, 1, 'float32', 3) as tf.Tensor4D;
      return responseGradient(gan.D, x, oneHot([1, 2], 10), 'd2', 0).shape;
    });
    expect(grad).toEqual([2, 28, 28, 1]);
    const fit = fitForget(gan, model, 0, { samples: [{ seed: 1, index: 0, classIndex: 3, boxes: [{ x0: 0, y0: 0, x1: 14, y1: 14 }] }] });
    expect(fit.weights).toHaveLength(8);
    const r = await renderForget(gan, model, 0, { drop: fit.selected, seed: 1, count: 2, classIndex: 3 });
    expect(r.before).toHaveLength(2);
    disposeGan(gan);
  });
});
