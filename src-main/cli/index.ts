/**
 * ganvas: the headless CLI, a thin door to the engine like the Electron shell: argv -> the
 * contract's input (validated by the same schemas) -> the same handlers and tasks -> files and
 * printed results. Errors print one line and exit non-zero (2 for usage); stack traces only with
 * GANVAS_DEBUG=1. The engine (and tfjs) load only when a command runs, so help is instant.
 */
import { runCli } from './main';

// Exit explicitly: tfjs-wasm keeps handles open, and it rethrows from its own
// uncaughtException hook, so nothing may escape runCli().
runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`ganvas: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
