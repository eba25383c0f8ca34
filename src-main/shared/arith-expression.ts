/**
 * Latent-arithmetic expressions: linear combinations of concepts, as in the DCGAN paper's Fig. 7
 * ("smiling woman" - "neutral woman" + "neutral man"). Pure TS, no Node: the engine evaluates with
 * it and the renderer's expression editor validates each keystroke with the same code.
 *
 * Grammar (whitespace free):
 *   expr   := term (('+' | '-') term)*
 *   term   := unary (('*' | '/') unary | unary)*        a number next to a concept multiplies: 0.5A
 *   unary  := ('+' | '-') unary | atom
 *   atom   := number | ident | "quoted name" | '(' expr ')'
 * The result must be linear in the concepts: `A * B` and `1 + A` are refused, `0.5*(A + B) - C` is fine.
 * Unicode minus (−), times (× ·) and division (÷) are accepted, since people paste them from the paper.
 */

export interface ExprTerm {
  /** As written: a symbol (A), a bare name, or a quoted name. */
  ref: string;
  quoted: boolean;
  weight: number;
}

export class ExprError extends Error {
  constructor(
    message: string,
    /** 0-based character position the error points at. */
    readonly at: number,
  ) {
    super(message);
    this.name = 'ExprError';
  }
}

type Token =
  | { kind: 'num'; value: number; at: number }
  | { kind: 'ref'; ref: string; quoted: boolean; at: number }
  | { kind: 'op'; op: '+' | '-' | '*' | '/' | '(' | ')'; at: number }
  | { kind: 'end'; at: number };

const opAliases: Record<string, '+' | '-' | '*' | '/' | '(' | ')'> = {
  '+': '+',
  '-': '-',
  '\u2212': '-',
  '\u2013': '-',
  '*': '*',
  '\u00d7': '*',
  '\u00b7': '*',
  '/': '/',
  '\u00f7': '/',
  '(': '(',
  ')': ')',
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (opAliases[ch]) {
      tokens.push({ kind: 'op', op: opAliases[ch], at: i });
      i++;
    } else if (/[0-9.]/.test(ch)) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) throw new ExprError(`'${ch}' is not a number`, i);
      tokens.push({ kind: 'num', value: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[\p{L}_]/u.test(ch)) {
      const m = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(text.slice(i))!;
      tokens.push({ kind: 'ref', ref: m[0], quoted: false, at: i });
      i += m[0].length;
    } else if (ch === '"' || ch === "'" || ch === '\u201c') {
      const close = ch === '\u201c' ? '\u201d' : ch;
      const end = text.indexOf(close, i + 1);
      if (end < 0) throw new ExprError('a quoted concept name is not closed', i);
      const ref = text.slice(i + 1, end).trim();
      if (!ref) throw new ExprError('empty concept name', i);
      tokens.push({ kind: 'ref', ref, quoted: true, at: i });
      i = end + 1;
    } else {
      throw new ExprError(`unexpected '${ch}'`, i);
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

/** A linear form: sum of weight * ref, plus a constant (only meaningful while parsing). */
interface Linear {
  terms: Map<string, ExprTerm>;
  constant: number;
  at: number;
}

const key = (t: { ref: string; quoted: boolean }) => (t.quoted ? `"${t.ref}"` : t.ref);
const isConstant = (l: Linear) => l.terms.size === 0;

function scale(l: Linear, k: number): Linear {
  const terms = new Map<string, ExprTerm>();
  for (const [k2, t] of l.terms) terms.set(k2, { ...t, weight: t.weight * k });
  return { terms, constant: l.constant * k, at: l.at };
}

function add(a: Linear, b: Linear, sign: 1 | -1): Linear {
  const terms = new Map(a.terms);
  for (const [k, t] of b.terms) {
    const prev = terms.get(k);
    terms.set(k, { ...t, weight: (prev?.weight ?? 0) + sign * t.weight });
  }
  return { terms, constant: a.constant + sign * b.constant, at: a.at };
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.op === op;
  }

  parse(): Linear {
    if (this.peek().kind === 'end') throw new ExprError('the expression is empty', 0);
    const l = this.expr();
    const t = this.peek();
    if (t.kind === 'op' && t.op === ')') throw new ExprError("unmatched ')'", t.at);
    if (t.kind !== 'end') throw new ExprError(`expected + or - before ${describe(t)}`, t.at);
    return l;
  }

  private expr(): Linear {
    let l = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const sign = this.isOp('+') ? 1 : -1;
      this.pos++;
      l = add(l, this.term(), sign);
    }
    return l;
  }

  private term(): Linear {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && (t.op === '*' || t.op === '/')) {
        this.pos++;
        const r = this.unary();
        l = t.op === '*' ? this.multiply(l, r, t.at) : this.divide(l, r, t.at);
      } else if (t.kind === 'ref' || t.kind === 'num' || (t.kind === 'op' && t.op === '(')) {
        // Implicit multiplication ("0.5A", "2(A - B)") only after a number: "A B" is a typo.
        if (!isConstant(l)) throw new ExprError(`expected + or - before ${describe(t)}`, t.at);
        l = this.multiply(l, this.unary(), t.at);
      } else {
        return l;
      }
    }
  }

  private multiply(a: Linear, b: Linear, at: number): Linear {
    if (isConstant(a)) return { ...scale(b, a.constant), at: a.at };
    if (isConstant(b)) return scale(a, b.constant);
    throw new ExprError('two concepts cannot be multiplied: latent arithmetic is linear', at);
  }

  private divide(a: Linear, b: Linear, at: number): Linear {
    if (!isConstant(b)) throw new ExprError('cannot divide by a concept', at);
    if (b.constant === 0) throw new ExprError('division by zero', at);
    return scale(a, 1 / b.constant);
  }

  private unary(): Linear {
    const t = this.peek();
    if (t.kind === 'op' && (t.op === '+' || t.op === '-')) {
      this.pos++;
      const l = this.unary();
      return t.op === '-' ? { ...scale(l, -1), at: t.at } : l;
    }
    return this.atom();
  }

  private atom(): Linear {
    const t = this.peek();
    this.pos++;
    if (t.kind === 'num') return { terms: new Map(), constant: t.value, at: t.at };
    if (t.kind === 'ref') {
      const term: ExprTerm = { ref: t.ref, quoted: t.quoted, weight: 1 };
      return { terms: new Map([[key(term), term]]), constant: 0, at: t.at };
    }
    if (t.kind === 'op' && t.op === '(') {
      const inner = this.expr();
      if (!this.isOp(')')) throw new ExprError("missing ')'", this.peek().at);
      this.pos++;
      return { ...inner, at: t.at };
    }
    throw new ExprError(t.kind === 'end' ? 'the expression ends too early' : `expected a concept or a number, got ${describe(t)}`, t.at);
  }
}

function describe(t: Token): string {
  if (t.kind === 'num') return `'${t.value}'`;
  if (t.kind === 'ref') return t.quoted ? `"${t.ref}"` : `'${t.ref}'`;
  if (t.kind === 'op') return `'${t.op}'`;
  return 'the end';
}

/**
 * Parses an expression into weighted concept references, in order of first appearance.
 * Equal references are merged (A + A = 2A); zero weights are kept so `A - A` can be reported.
 * @throws ExprError with the position of the problem.
 */
export function parseExpression(text: string): ExprTerm[] {
  const l = new Parser(tokenize(text)).parse();
  if (isConstant(l)) throw new ExprError('the expression needs at least one concept', 0);
  if (l.constant !== 0) throw new ExprError('a plain number cannot be added to a concept (did you mean 0.5*A?)', l.at);
  return [...l.terms.values()];
}

/** Canonical text for weighted terms: "A - B + C", "0.5*A + 2*\"smiling woman\"". */
export function formatExpression(terms: { label: string; weight: number }[]): string {
  const parts: string[] = [];
  for (const { label, weight } of terms) {
    if (weight === 0) continue;
    const abs = Math.abs(weight);
    const coef = abs === 1 ? '' : `${Number(abs.toPrecision(6))}*`;
    const name = /^[\p{L}_][\p{L}\p{N}_]*$/u.test(label) ? label : `"${label}"`;
    const sign = weight < 0 ? '-' : '+';
    parts.push(parts.length === 0 ? `${sign === '-' ? '-' : ''}${coef}${name}` : `${sign} ${coef}${name}`);
  }
  return parts.join(' ') || '0';
}

/** What a reference can name: a concept's symbol (A) or its name. */
export interface ConceptRef {
  id: string;
  symbol: string;
  name: string;
}

export interface ResolvedTerm<C extends ConceptRef = ConceptRef> {
  concept: C;
  weight: number;
}

const sameName = (a: string, b: string) => a.trim().toLowerCase().replace(/_/g, ' ') === b.trim().toLowerCase().replace(/_/g, ' ');

/** Finds the concept a reference names: exact symbol first, then name (case and _/space free), then symbol in any case. */
export function findConcept<C extends ConceptRef>(ref: string, quoted: boolean, concepts: readonly C[]): C | undefined {
  return (
    (!quoted ? concepts.find((c) => c.symbol === ref) : undefined) ??
    concepts.find((c) => sameName(c.name, ref)) ??
    (!quoted ? concepts.find((c) => c.symbol.toLowerCase() === ref.toLowerCase()) : undefined)
  );
}

/**
 * Parses and binds an expression to concepts; terms naming the same concept are merged.
 * @throws ExprError for a syntax error, an unknown concept, or an expression that cancels out.
 */
export function resolveExpression<C extends ConceptRef>(text: string, concepts: readonly C[]): ResolvedTerm<C>[] {
  const out: ResolvedTerm<C>[] = [];
  for (const term of parseExpression(text)) {
    const concept = findConcept(term.ref, term.quoted, concepts);
    if (!concept) {
      const at = Math.max(0, text.indexOf(term.ref));
      const known = concepts.map((c) => `${c.symbol} (${c.name})`).join(', ');
      throw new ExprError(`no concept called '${term.ref}'${known ? `; there are ${known}` : '; make a concept first'}`, at);
    }
    const prev = out.find((t) => t.concept.id === concept.id);
    if (prev) prev.weight += term.weight;
    else out.push({ concept, weight: term.weight });
  }
  const live = out.filter((t) => Math.abs(t.weight) > 1e-12);
  if (live.length === 0) throw new ExprError('the concepts cancel out: the result would be zero', 0);
  return live;
}
