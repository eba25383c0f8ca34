/**
 * The one place the engine imports TensorFlow.js from.
 *
 * Why a single module: every engine file must share one tfjs-core instance and
 * the same set of side-effect registrations (backends, kernels). Importing
 * tfjs-core here and re-exporting the namespace keeps that in one spot.
 *
 * Only the cpu backend is registered here. The wasm backend is imported lazily
 * by `selectBackend` (see ./wasm.ts) because importing it makes wasm the
 * highest-priority backend, and wasm initialises asynchronously: any tf op run
 * before `await tf.setBackend(...)` would then throw "backend not yet
 * initialized". Modules that merely import `tf` keep working on cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients, and its ESM register_all_gradients cannot be
// imported by Node (directory imports). The union package's Node bundle registers them all;
// without it tf.variableGrads fails with "gradient function not found for Add".
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';

export { tf };
