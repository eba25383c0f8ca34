import type { GanvasBridge } from '../api-types';
import { attempt, type Notify } from './notify';

/**
 * How every export ends: a message naming the file, with "Show in folder" (the system's file
 * manager, opened by the desktop shell for a file this window saved).
 */
export function announceSaved(api: Pick<GanvasBridge, 'showInFolder'>, notify: Notify, message: string, file: string): void {
  notify.info(message, {
    label: 'Show in folder',
    run: () =>
      void attempt(notify, async () => {
        if (!(await api.showInFolder({ path: file }))) notify.error(`${file} is no longer there: it was moved or deleted`);
      }),
  });
}
