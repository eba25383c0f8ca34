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

  error(message: string): void {
    this.#push('error', message, 12_000);
  }

  /** Something the engine repaired or set aside: worth reading, not a failure. */
  warn(message: string): void {
    this.#push('warn', message, 12_000);
  }

  /** With an action (Show in folder) it stays long enough to be reached by keyboard. */
  info(message: string, action?: NoticeAction): void {
    this.#push('info', message, action ? 15_000 : 4_000, action);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id);
  }

  #push(kind: Toast['kind'], message: string, lifetimeMs: number, action?: NoticeAction): void {
    const id = this.#nextId++;
    // The same failure repeated (e.g. a polling call) shows once.
    this.items = [...this.items.filter((toast) => toast.message !== message), { id, kind, message, action }].slice(-4);
    setTimeout(() => this.dismiss(id), lifetimeMs);
  }
}
