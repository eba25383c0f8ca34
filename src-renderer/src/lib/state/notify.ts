import { fromWire } from '$shared/errors';

/** A button on a message, e.g. "Show in folder" after an export. */
export interface NoticeAction {
  label: string;
  run(): void;
}

/** Where states tell the person what happened: the app's toasts. */
export interface Notify {
  error(message: string): void;
  info(message: string, action?: NoticeAction): void;
}

/**
 * Tells the person why an API call failed. A cancelled call is not a failure: it gets the
 * `cancelled` note when one is given, nothing otherwise. Errors are recognised by code, never
 * by their wording.
 */
export function reportFailure(notify: Notify, error: unknown, cancelled?: string): void {
  const failure = fromWire(error);
  if (failure.code !== 'cancelled') notify.error(failure.message);
  else if (cancelled) notify.info(cancelled);
}

/** Runs `work`; a failure becomes a toast (see reportFailure) instead of a rejection. */
export async function attempt(notify: Notify, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    reportFailure(notify, error);
  }
}
