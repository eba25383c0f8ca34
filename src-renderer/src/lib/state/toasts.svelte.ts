import type { NoticeAction, Notify } from './notify';

export interface Toast {
  id: number;
  kind: 'error' | 'warn' | 'info';
  message: string;
  action?: NoticeAction;
}

/** Messages shown in the corner: every rejected API call ends up here as readable text. */
export class Toasts implements Notify {
  items = $state<Toast[]>([]);
  #nextId = 1;
  // Dismissal timers by toast id: a toast being read (hovered or focused) is held.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  error(message: string): void {
    this.#push('error', message, 12_000);
  }

  /** Something the engine repaired or set aside: worth reading, not a failure. */
  warn(message: string): void {
    this.#push('warn', message, 12_000);
  }

  /** With an action (Show in folder) it stays longer, and as long as it is hovered or focused. */
  info(message: string, action?: NoticeAction): void {
    this.#push('info', message, action ? 12_000 : 4_000, action);
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.items = this.items.filter((toast) => toast.id !== id);
  }

  /** The pointer or the keyboard is on the toast: it stays until released. */
  hold(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
  }

  /** Left again: gone a few seconds later. */
  release(id: number): void {
    if (this.items.some((toast) => toast.id === id)) this.#expire(id, 4_000);
  }

  #expire(id: number, ms: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.set(
      id,
      setTimeout(() => this.dismiss(id), ms),
    );
  }

  #push(kind: Toast['kind'], message: string, lifetimeMs: number, action?: NoticeAction): void {
    const id = this.#nextId++;
    // The same failure repeated (e.g. a polling call) shows once.
    this.items = [...this.items.filter((toast) => toast.message !== message), { id, kind, message, action }].slice(-4);
    this.#expire(id, lifetimeMs);
  }
}
