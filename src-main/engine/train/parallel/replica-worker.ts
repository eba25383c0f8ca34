/**
 * A worker thread holding one replica: its own tfjs (module state is per thread), on the wasm or
 * cpu backend, the networks built from the project seed or restored from the run's checkpoint.
 * Serves the device's requests one at a time, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tf } from '../../backend/tf';
import { selectBackend } from '../../backend/select';
import { buildGan, samplingG } from '../../models/gan';
import { restoreGan } from '../../project/gan-state';
import { generateImages } from '../../sampling/sampler';
import { Exchange } from './exchange';
import type { ReplicaHello, ReplicaReply, ReplicaRequest, ReplicaSetup } from './protocol';
import { exchangeLengths, Replica } from './replica';

async function main(port: NonNullable<typeof parentPort>, setup: ReplicaSetup): Promise<void> {
  let gan;
  try {
    await selectBackend(setup.backend);
    gan = buildGan(setup.model, setup.hyper);
    if (setup.start) restoreGan(gan, setup.start);
  } catch (error) {
    port.postMessage({ failed: (error as Error).message } satisfies ReplicaHello);
    return;
  }
  port.postMessage({ ready: exchangeLengths(gan) } satisfies ReplicaHello);
  let replica: Replica | null = null;
  const serve = (request: ReplicaRequest): unknown => {
    switch (request.kind) {
      case 'attach':
        replica = new Replica(gan, setup.model, new Exchange(request.buffers, setup.replica, request.weights));
        return null;
      case 'step':
        if (!replica) throw new Error('step before attach');
        return replica.step(request.slice);
      case 'checksum':
        return replica!.checksum();
      case 'snapshot':
        return replica!.snapshot();
      case 'generate':
        return generateImages(samplingG(gan), setup.model, request.z, request.labels);
      case 'memory':
        return tf.memory().numTensors;
    }
  };
  port.on('message', ({ id, request }: { id: number; request: ReplicaRequest }) => {
    let reply: ReplicaReply;
    try {
      reply = { id, result: serve(request) };
    } catch (error) {
      reply = { id, error: error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error) };
    }
    port.postMessage(reply);
  });
}

if (parentPort) void main(parentPort, workerData as ReplicaSetup);
