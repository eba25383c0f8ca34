import { getContext, setContext } from 'svelte';
import type { AppState } from './app.svelte';

const appKey = Symbol('ganvas-app');

export function provideApp(app: AppState): AppState {
  return setContext(appKey, app);
}

/** The app state, provided once by App.svelte; components read from it. */
export function useApp(): AppState {
  const app = getContext<AppState | undefined>(appKey);
  if (!app) throw new Error('useApp() called outside <App>');
  return app;
}
