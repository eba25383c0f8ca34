/**
 * Compute backends: which exist, which was chosen, and why the others were skipped.
 * Plain data: nothing here may import Node, Electron or tfjs (the renderer bundles it).
 */
/**
 * Every backend the engine can run on, in order of preference. 'webgpu' trains in the desktop
 * app's hidden compute window (engine/compute/browser); the others in a Node compute host.
 */
export const BACKEND_NAMES = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** What a user may ask for: a backend by name, or the best that loads. */
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it was skipped (missing module, missing native binding, no CUDA...). */
  reason?: string;
  /** What was found when it was chosen (the GPU adapter of the compute window). */
  detail?: string;
  /** What the probes found, one line each with what to do (tensorflow-gpu: driver, CUDA, cuDNN, kernel cache). */
  findings?: string[];
}

export interface BackendReport {
  /** The backend tfjs is really running on. */
  active: BackendName;
  requested: BackendChoice;
  /** Every backend tried, in order of preference, with the reason each failed. */
  attempts: BackendAttempt[];
}
