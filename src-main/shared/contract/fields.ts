/** Reading and replacing a payload's field by its dotted path ("options.out"), as `paths` declarations name them. */

/** The value at a dotted field path of a payload. */
export const fieldAt = (args: Record<string, unknown>, field: string): unknown =>
  field.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), args);

/** A copy of `args` with the value at a dotted field path replaced (nothing changes where the path is missing). */
export function withField(args: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = field.split('.');
  if (rest.length === 0) return { ...args, [head]: value };
  const inner = args[head];
  if (!inner || typeof inner !== 'object') return args;
  return { ...args, [head]: withField(inner as Record<string, unknown>, rest.join('.'), value) };
}
