/**
 * No request can carry an unbounded payload: every string in every method's schema has a maximum
 * length and every array a maximum size, and strings refuse control characters (NUL in a path,
 * an escape sequence in a name).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiContract, apiMethods, parseInput } from '../../src-main/shared/contract';

type Json = { type?: string | string[]; maxLength?: number; maxItems?: number; [k: string]: unknown };

/** Every string and array node of a JSON schema without a bound, by path. */
function unbounded(node: unknown, at: string, out: string[]): string[] {
  if (!node || typeof node !== 'object') return out;
  const n = node as Json;
  const types = Array.isArray(n.type) ? n.type : [n.type];
  if (types.includes('string') && n.maxLength === undefined && !('const' in n) && !('enum' in n)) out.push(`${at} (string)`);
  if (types.includes('array') && n.maxItems === undefined && !('prefixItems' in n)) out.push(`${at} (array)`);
  for (const [k, v] of Object.entries(n)) {
    if (Array.isArray(v)) v.forEach((item, i) => unbounded(item, `${at}.${k}[${i}]`, out));
    else if (v && typeof v === 'object') unbounded(v, `${at}.${k}`, out);
  }
  return out;
}

describe('contract limits', () => {
  it('should notice an unbounded string or array (the check below can fail)', () => {
    expect(unbounded(z.toJSONSchema(z.object({ a: z.string(), b: z.array(z.number()) })), 'x', [])).toEqual(['x.properties.a (string)', 'x.properties.b (array)']);
  });

  it('should bound every string and array of every method', () => {
    const found = apiMethods.flatMap((name) => unbounded(z.toJSONSchema(apiContract[name].input, { io: 'input', unrepresentable: 'any' }), name, []));
    expect(found).toEqual([]);
  });

  it('should refuse control characters and oversized strings', () => {
    expect(() => parseInput('openProject', { dir: '/tmp/a\u0000b' })).toThrowError(/control characters/);
    expect(() => parseInput('createProject', { dir: '/tmp/p', dataset: { kind: 'mnist' }, name: 'x'.repeat(10_000_000) })).toThrowError(
      /at most 200 characters/,
    );
    expect(() => parseInput('galleryUpdate', { dir: '/tmp/p', id: 'a', name: 'line\nbreak' })).toThrowError(/control characters/);
  });
});
