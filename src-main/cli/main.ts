/**
 * One CLI invocation: the command by name, its flags parsed, run against a Session; errors as one
 * line and an exit code. Kept apart from the process entry (index.ts) so tests can run commands,
 * even commands of their own, in-process.
 */
import { GanvasError } from '../shared/errors';
import { parse, UsageError } from './args';
import type { CliCommand } from './command';
import { commands as allCommands } from './commands';
import { Session } from './session';

function help(commands: readonly CliCommand[]): string {
  return [
    'Usage: ganvas <command> [options]   (ganvas help <command> for one command)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(17)} ${c.summary}`),
    '',
    ...commands.map((c) => `  ganvas ${c.usage}`),
  ].join('\n');
}

async function runCommand(command: CliCommand, argv: string[], session: Session): Promise<void> {
  try {
    const { values, positionals } = parse(argv, command.options, command.positionals ?? [], command.optional ?? []);
    await command.run({ values: values as Record<string, string | boolean | undefined>, positionals }, session);
  } finally {
    await session.close();
  }
}

/** Runs one CLI invocation; the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(
  argv: string[],
  { commands = allCommands, session = new Session() }: { commands?: readonly CliCommand[]; session?: Session } = {},
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const one = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    console.log(one ? `ganvas ${one.usage}\n  ${one.summary}` : help(commands));
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`ganvas: unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`ganvas ${command.usage}\n  ${command.summary}`);
    return 0;
  }
  try {
    await runCommand(command, rest, session);
    return 0;
  } catch (err) {
    if (process.env.GANVAS_DEBUG) console.error(err);
    const message = err instanceof Error ? err.message : String(err);
    console.error(`ganvas ${name}: ${message}`);
    const usage = err instanceof UsageError || (err instanceof GanvasError && err.code === 'invalid');
    if (usage) console.error(`usage: ganvas ${command.usage}`);
    return usage ? 2 : 1;
  }
}
