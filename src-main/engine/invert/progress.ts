/**
 * 'invert.progress' events of one long analysis (a projection, a direction discovery, a feature
 * optimisation): at most ~10 a second (phase changes and forced ones always), with the elapsed
 * time and an ETA from the pace so far.
 */
import type { AnalysisProgress } from '../../shared/types';
import type { TaskContext } from '../handler-types';

export type AnalysisUpdate = Pick<AnalysisProgress, 'phase' | 'done' | 'total' | 'value' | 'previewPng'>;

export function analysisReporter(ctx: TaskContext, job: Pick<AnalysisProgress, 'id' | 'dir' | 'kind'>) {
  const started = performance.now();
  let last = 0;
  let lastPhase = '';
  /** The pace is measured from the first unit of the current phase's work, so set-up time does not skew it. */
  let phaseStart = { at: started, done: 0 };
  return (p: AnalysisUpdate, force = false) => {
    const now = performance.now();
    if (p.phase !== lastPhase) phaseStart = { at: now, done: p.done };
    if (!force && p.phase === lastPhase && now - last < 100) return;
    last = now;
    lastPhase = p.phase;
    const rate = (p.done - phaseStart.done) / Math.max(1e-3, (now - phaseStart.at) / 1000);
    const etaSeconds = p.phase === 'done' ? 0 : rate > 0 && p.done > phaseStart.done ? (p.total - p.done) / rate : null;
    ctx.emit('invert.progress', { ...job, ...p, seconds: (now - started) / 1000, etaSeconds });
  };
}
