import type { ApiOutput } from '../../shared/contract';
import type { DataCheckReport, HealthNotice, HealthReport } from '../../shared/types/health';
import type { CliCommand } from '../command';
import { note, type Session } from '../session';
import { stepsOption, table, withPhaseProgress } from './eval-common';

/** "warning  step 1200  The discriminator is overpowering the generator" and the advice under it. */
export const formatNotice = (n: HealthNotice) => `${n.severity.padEnd(8)} step ${n.step}  ${n.title}\n  ${n.advice}`;

/** A data-check report in a few lines: counts, then each finding with the first files it names. */
export function printDataCheck(report: DataCheckReport, print: (line: string) => void = console.log): void {
  print(
    `Data check: ${report.images} images (${report.distinctImages} distinct) for ${report.target.size}x${report.target.size}; ` +
      `${report.minimumImages.toLocaleString('en')} at least, ${report.recommendedImages.toLocaleString('en')} recommended`,
  );
  if (report.findings.length === 0) print('  no problems found');
  for (const f of report.findings) {
    print(`  ${f.severity.padEnd(8)} ${f.title}\n           ${f.advice}`);
    for (const file of f.files.slice(0, 5)) print(`           ${file}`);
    if (f.files.length > 5) print(`           ... and ${f.files.length - 5} more (see data-check.json)`);
  }
  if (report.severity === 'critical') print('Warning: this dataset has a critical problem (above); training may fail or copy its images.');
}

function printReport(report: HealthReport): void {
  if (report.unavailable) console.log(report.unavailable);
  if (report.records.length) {
    console.log(`Label-free score in ${report.space?.id} (FD: lower is better; precision, recall, diversity: 0-1)`);
    console.log(
      table(
        ['step', 'FD', 'precision', 'recall', 'diversity', 'near-dup', ''],
        report.records.map((r) => [
          r.step,
          r.fd.toFixed(3),
          r.precision.toFixed(2),
          r.recall.toFixed(2),
          r.diversity.toFixed(2),
          r.nearDuplicates.toFixed(2),
          r.step === report.best?.step ? '<- best' : '',
        ]),
      ),
    );
  } else if (!report.unavailable) console.log('No checkpoint scored yet.');
  if (report.unscored.length) console.log(`Not scored: steps ${report.unscored.join(', ')} (ganvas health <dir> scores them)`);
  if (report.best) console.log(`Best checkpoint: step ${report.best.step} (${report.best.reason})`);
  console.log(report.notices.length ? '\nNotices:' : '\nNo notices: nothing looks wrong with this run.');
  for (const n of report.notices) console.log(formatNotice(n));
  if (report.dataCheck) {
    console.log('');
    printDataCheck(report.dataCheck);
  }
}

/** Runs `work` with health progress on stderr. */
const withHealthProgress = <T>(session: Session, work: () => Promise<T>): Promise<T> =>
  withPhaseProgress(session, 'health.progress', (p) => p.phase, work);

export const healthCommand: CliCommand = {
  name: 'health',
  summary: 'is the run working? label-free scores per checkpoint, notices with advice, the best checkpoint, the data check',
  usage: 'health <dir> [--steps new|all|latest|200,400 (scored first; default new)] [--no-score] [--check-data] [--json]',
  positionals: ['dir'],
  options: { steps: { type: 'string' }, 'no-score': { type: 'boolean' }, 'check-data': { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values: v, positionals }, session) {
    const dir = positionals[0];
    const steps = stepsOption(v.steps, 'new');
    session.validate('healthScore', { dir, steps }, { steps: 'steps' });
    let report: HealthReport = await session.call('healthReport', { dir });
    if (v['check-data']) await withHealthProgress(session, () => session.call('checkDataset', { dir }));
    if (!v['no-score'] && !report.unavailable && (steps !== 'new' || report.unscored.length)) {
      const result: ApiOutput<'healthScore'> = await withHealthProgress(session, () =>
        session.call('healthScore', { dir, steps }, { steps: 'steps' }),
      );
      for (const s of result.skipped) note(`Skipped step ${s.step}: ${s.reason}`);
      report = result.report;
    }
    if (v['check-data']) report = await session.call('healthReport', { dir });
    if (v.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report);
  },
};
