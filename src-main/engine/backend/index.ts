/** Public surface of the backend module. */
export { tf } from './tf';
export { selectBackend, getBackendReport, backendName, BACKEND_ORDER } from './select';
export { registerWasmKernels, restoreStockWasmKernels, wasmKernelsRegistered } from './kernels/index';
