/** Schemas every feature's contract uses: project folders, seeds, bounded strings. */
import { z } from 'zod';
import { BACKEND_CHOICES } from '../types/backend';

// C0 controls (NUL, newlines, escapes...) and DEL: never needed in a name, id or path from the UI,
// and a classic way to smuggle commands into shells and logs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A string of at most `max` characters without control characters. */
export const text = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'control characters are not allowed');

/** File-system paths: long enough for any real path, never a megabyte of payload. */
export const MAX_PATH_LENGTH = 4096;
export const pathString = (required: string) => text(MAX_PATH_LENGTH).pipe(z.string().min(1, required));

/** A project folder; the engine resolves and opens it before a handler runs. */
export const dir = pathString('a project folder is required');
export const backendChoice = z.enum(BACKEND_CHOICES);
export const seed = z.number().int().min(0).max(0xffffffff);
export const classIndex = z.number().int().min(0).max(4095);
export const step = z.number().int().min(0);
/** Which checkpoint's generator to use: a step, or 'best' (run health's best checkpoint; the newest until one is scored). Absent: the newest. */
export const checkpointChoice = z.union([step, z.literal('best')]);
/** Ids the engine made (gallery samples, concepts, exports). */
export const id = text(200).pipe(z.string().min(1));
export const latentVector = z.array(z.number().finite()).min(2, 'z needs at least 2 numbers').max(1024);

// Compile-time checks that schemas and the shared types agree.
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
