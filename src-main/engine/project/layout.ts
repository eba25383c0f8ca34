/**
 * Every file and folder of a project, named once. A project is a folder:
 *
 *   project.json          versioned config (schema.ts)
 *   dataset.bin           the dataset decoded once at creation (data/cache.ts)
 *   import-report.json    files a folder import skipped, and why
 *   checkpoints/          step-XXXXXXXX.ckpt: G, D, BatchNorm statistics, both Adam states
 *   metrics.jsonl         one row per logged step, and run-health notices as `"event":"health"` lines
 *   samples/              the fixed-noise grid, step-XXXXXXXX.png
 *   rolled-back/<time>/   what a roll-back or a damaged checkpoint moved aside (never deleted)
 *   gallery.json          saved samples (latent explorer)
 *   concepts.json         latent-arithmetic concepts
 *   directions.json       saved latent directions (discovered ones, beside the concept directions)
 *   inspect/forget.json   boxes drawn in the forgetting view
 *   eval/                 evaluation logs and the quality classifier
 *   notices.jsonl         what the engine repaired or set aside (damaged checkpoints...)
 *   health/space.json     the fixed feature space of the label-free score (health/feature-net.ts)
 *   health/records.jsonl  one label-free HealthRecord per scored checkpoint
 *   data-check.json       the data check made when the dataset was imported (data/checks.ts)
 */
import path from 'node:path';

export const PROJECT_FILE = 'project.json';
export const DATASET_FILE = 'dataset.bin';
export const IMPORT_REPORT_FILE = 'import-report.json';
export const CHECKPOINT_DIR = 'checkpoints';
export const METRICS_FILE = 'metrics.jsonl';
export const SAMPLES_DIR = 'samples';
export const ROLLED_BACK_DIR = 'rolled-back';
export const GALLERY_FILE = 'gallery.json';
export const CONCEPTS_FILE = 'concepts.json';
export const DIRECTIONS_FILE = 'directions.json';
export const INSPECT_DIR = 'inspect';
export const EVAL_DIR = 'eval';
export const NOTICES_FILE = 'notices.jsonl';
export const HEALTH_DIR = 'health';
export const DATA_CHECK_FILE = 'data-check.json';

const stepName = (step: number) => `step-${String(step).padStart(8, '0')}`;
/** `step-00000400.ckpt` -> 400; null for anything else (temp files, strays). */
export const stepOfFile = (name: string, ext: 'ckpt' | 'png'): number | null => {
  const m = new RegExp(`^step-(\\d+)\\.${ext}$`).exec(name);
  return m ? Number(m[1]) : null;
};

/** The absolute paths of one project's files. */
export class ProjectFiles {
  constructor(readonly dir: string) {}

  private at = (...parts: string[]) => path.join(this.dir, ...parts);

  get config(): string {
    return this.at(PROJECT_FILE);
  }
  get dataset(): string {
    return this.at(DATASET_FILE);
  }
  get importReport(): string {
    return this.at(IMPORT_REPORT_FILE);
  }
  get checkpointDir(): string {
    return this.at(CHECKPOINT_DIR);
  }
  checkpoint(step: number): string {
    return this.at(CHECKPOINT_DIR, `${stepName(step)}.ckpt`);
  }
  get metrics(): string {
    return this.at(METRICS_FILE);
  }
  get sampleDir(): string {
    return this.at(SAMPLES_DIR);
  }
  sample(step: number): string {
    return this.at(SAMPLES_DIR, `${stepName(step)}.png`);
  }
  /** A fresh folder name under rolled-back/ for one move-aside, named by the time. */
  rolledBack(now = new Date()): string {
    return this.at(ROLLED_BACK_DIR, now.toISOString().replace(/[:.]/g, '-'));
  }
  get gallery(): string {
    return this.at(GALLERY_FILE);
  }
  get concepts(): string {
    return this.at(CONCEPTS_FILE);
  }
  get directions(): string {
    return this.at(DIRECTIONS_FILE);
  }
  get forgetAnnotations(): string {
    return this.at(INSPECT_DIR, 'forget.json');
  }
  get notices(): string {
    return this.at(NOTICES_FILE);
  }
  get evalDir(): string {
    return this.at(EVAL_DIR);
  }
  eval(name: string): string {
    return this.at(EVAL_DIR, name);
  }
  get healthSpace(): string {
    return this.at(HEALTH_DIR, 'space.json');
  }
  get healthRecords(): string {
    return this.at(HEALTH_DIR, 'records.jsonl');
  }
  get dataCheck(): string {
    return this.at(DATA_CHECK_FILE);
  }
}
