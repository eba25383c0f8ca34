/**
 * ganvas: the headless CLI (`npm run ganvas -- <command>`), also the engine's test surface.
 * Errors print one line and exit non-zero; stack traces only with GANVAS_DEBUG=1.
 */
import { UsageError } from './args';
import { arithCommand, arithUsage } from './commands/arith';
import { demoCommand, demoUsage } from './commands/demo';
import { evalFeaturesCommand, evalFeaturesUsage } from './commands/eval-features';
import { evalMemorisationCommand, evalMemorisationUsage } from './commands/eval-memorisation';
import { evalQualityCommand, evalQualityUsage } from './commands/eval-quality';
import { featuresCommand, featuresUsage } from './commands/features';
import { filtersCommand, filtersUsage } from './commands/filters';
import { forgetCommand, forgetUsage } from './commands/forget';
import { guidedCommand, guidedUsage } from './commands/guided';
import { infoCommand, infoUsage } from './commands/info';
import { newCommand, newUsage } from './commands/new';
import { sampleCommand, sampleUsage } from './commands/sample';
import { trainCommand, trainUsage } from './commands/train';
import { walkCommand, walkUsage } from './commands/walk';

const commands: Record<string, { run: (argv: string[]) => Promise<void>; usage: string }> = {
  new: { run: newCommand, usage: newUsage },
  train: { run: trainCommand, usage: trainUsage },
  sample: { run: sampleCommand, usage: sampleUsage },
  info: { run: infoCommand, usage: infoUsage },
  walk: { run: walkCommand, usage: walkUsage },
  arith: { run: arithCommand, usage: arithUsage },
  demo: { run: demoCommand, usage: demoUsage },
  filters: { run: filtersCommand, usage: filtersUsage },
  features: { run: featuresCommand, usage: featuresUsage },
  guided: { run: guidedCommand, usage: guidedUsage },
  forget: { run: forgetCommand, usage: forgetUsage },
  'eval-features': { run: evalFeaturesCommand, usage: evalFeaturesUsage },
  'eval-quality': { run: evalQualityCommand, usage: evalQualityUsage },
  'eval-memorisation': { run: evalMemorisationCommand, usage: evalMemorisationUsage },
};

function help(): string {
  return ['Usage: ganvas <command> [options]', '', ...Object.values(commands).map((c) => `  ganvas ${c.usage}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`ganvas: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}`);
    return 2;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (err) {
    if (process.env.GANVAS_DEBUG) console.error(err);
    const message = err instanceof Error ? err.message : String(err);
    console.error(`ganvas ${name}: ${message}`);
    if (err instanceof UsageError) console.error(`usage: ganvas ${command.usage}`);
    return err instanceof UsageError ? 2 : 1;
  }
}

// Exit explicitly: tfjs-wasm keeps handles open, and it rethrows from its own
// uncaughtException hook, so nothing may escape main().
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`ganvas: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
