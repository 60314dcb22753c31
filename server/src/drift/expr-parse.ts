// A parser for the HCL expression language, enough to evaluate what Terraform users write in
// resource arguments: literals, templates, heredocs, references, function calls, operators and
// conditionals. Anything it does not understand (for-expressions, template directives) becomes an
// `unsupported` node, which evaluates to Unknown: the engine never guesses.

export type Expr =
  | { t: 'lit'; v: null | boolean | number | string }
  | { t: 'tmpl'; parts: Array<string | Expr> }
  | { t: 'tuple'; items: Expr[] }
  | { t: 'object'; items: Array<[Expr, Expr]> }
  | { t: 'ref'; root: string; steps: Step[] }
  | { t: 'call'; name: string; args: Expr[] }
  | { t: 'unary'; op: '!' | '-'; x: Expr }
  | { t: 'binary'; op: string; l: Expr; r: Expr }
  | { t: 'cond'; c: Expr; a: Expr; b: Expr }
  | { t: 'index'; x: Expr; steps: Step[] }
  | { t: 'unsupported'; why: string };

export type Step = { attr: string } | { index: Expr } | { splat: true };

export class ExprSyntaxError extends Error {}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(message: string): never {
    throw new ExprSyntaxError(`${message} at offset ${this.pos}`);
  }

  skipSpace(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? s.length : end + 2;
      } else return;
    }
  }

  peek(text: string): boolean {
    this.skipSpace();
    return this.src.startsWith(text, this.pos);
  }

  eat(text: string): boolean {
    if (this.peek(text)) {
      this.pos += text.length;
      return true;
    }
    return false;
  }

  expect(text: string): void {
    if (!this.eat(text)) this.fail(`expected '${text}'`);
  }

  ident(): string | undefined {
    this.skipSpace();
    if (!IDENT_START.test(this.src[this.pos] ?? '')) return undefined;
    const start = this.pos;
    while (IDENT_PART.test(this.src[this.pos] ?? '')) this.pos++;
    return this.src.slice(start, this.pos);
  }

  expr(): Expr {
    const c = this.binary(0);
    if (this.peek('?')) {
      this.pos++;
      const a = this.expr();
      this.expect(':');
      const b = this.expr();
      return { t: 'cond', c, a, b };
    }
    return c;
  }

  private static readonly LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];

  binary(level: number): Expr {
    if (level >= Parser.LEVELS.length) return this.unary();
    let l = this.binary(level + 1);
    for (;;) {
      this.skipSpace();
      const op = Parser.LEVELS[level].find((o) => this.src.startsWith(o, this.pos));
      // `=>` belongs to for-expressions and `<<` to heredocs; neither is a comparison.
      if (!op || (op === '<' && this.src[this.pos + 1] === '<')) return l;
      this.pos += op.length;
      l = { t: 'binary', op, l, r: this.binary(level + 1) };
    }
  }

  unary(): Expr {
    if (this.peek('!')) {
      this.pos++;
      return { t: 'unary', op: '!', x: this.unary() };
    }
    if (this.peek('-') && !/[0-9]/.test(this.src[this.pos + 1] ?? '')) {
      this.pos++;
      return { t: 'unary', op: '-', x: this.unary() };
    }
    return this.postfix(this.primary());
  }

  postfix(x: Expr): Expr {
    const steps: Step[] = [];
    for (;;) {
      if (this.peek('.*') || this.peek('[*]')) {
        this.pos += this.src[this.pos] === '.' ? 2 : 3;
        steps.push({ splat: true });
      } else if (this.peek('.') && !this.src.startsWith('..', this.pos)) {
        this.pos++;
        this.skipSpace();
        const num = /^[0-9]+/.exec(this.src.slice(this.pos));
        if (num) {
          this.pos += num[0].length;
          steps.push({ index: { t: 'lit', v: Number(num[0]) } });
        } else {
          const name = this.ident();
          if (!name) this.fail('expected attribute name');
          steps.push({ attr: name });
        }
      } else if (this.peek('[')) {
        this.pos++;
        steps.push({ index: this.expr() });
        this.expect(']');
      } else break;
    }
    if (steps.length === 0) return x;
    if (x.t === 'ref') return { t: 'ref', root: x.root, steps: [...x.steps, ...steps] };
    return { t: 'index', x, steps };
  }

  primary(): Expr {
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === undefined) this.fail('unexpected end of expression');
    if (c === '"') return this.quoted();
    if (c === '<' && this.src.startsWith('<<', this.pos)) return this.heredoc();
    if (c === '(') {
      this.pos++;
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (c === '[') return this.isFor('[') ? this.skipFor('[', ']') : this.tuple();
    if (c === '{') return this.isFor('{') ? this.skipFor('{', '}') : this.object();
    const num = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return { t: 'lit', v: Number(num[0]) };
    }
    const name = this.ident();
    if (!name) this.fail(`unexpected '${c}'`);
    if (name === 'true' || name === 'false') return { t: 'lit', v: name === 'true' };
    if (name === 'null') return { t: 'lit', v: null };
    if (this.peek('(') || this.peek('::')) return this.call(name);
    return { t: 'ref', root: name, steps: [] };
  }

  call(name: string): Expr {
    let full = name;
    while (this.eat('::')) full += `::${this.ident() ?? ''}`;
    this.expect('(');
    const args: Expr[] = [];
    while (!this.peek(')')) {
      args.push(this.expr());
      if (this.eat('...')) return this.skipRest(')', `expanded arguments in ${full}()`);
      if (!this.eat(',')) break;
    }
    this.expect(')');
    return { t: 'call', name: full, args };
  }

  tuple(): Expr {
    this.expect('[');
    const items: Expr[] = [];
    while (!this.peek(']')) {
      items.push(this.expr());
      if (!this.eat(',')) break;
    }
    this.expect(']');
    return { t: 'tuple', items };
  }

  object(): Expr {
    this.expect('{');
    const items: Array<[Expr, Expr]> = [];
    while (!this.peek('}')) {
      let key: Expr;
      this.skipSpace();
      const save = this.pos;
      const name = this.ident();
      this.skipSpace();
      if (name && (this.src[this.pos] === '=' || this.src[this.pos] === ':') && this.src[this.pos + 1] !== '=') {
        key = { t: 'lit', v: name };
      } else {
        this.pos = save;
        key = this.expr();
      }
      if (!this.eat('=') && !this.eat(':')) this.fail("expected '=' or ':' in object");
      items.push([key, this.expr()]);
      this.eat(',');
    }
    this.expect('}');
    return { t: 'object', items };
  }

  isFor(open: string): boolean {
    const rest = this.src.slice(this.pos + open.length);
    return /^\s*for\s/.test(rest);
  }

  /** Skips a balanced bracket group (strings respected) and returns an unsupported node. */
  skipFor(open: string, close: string): Expr {
    this.pos++;
    return this.skipRest(close, 'for-expression');
  }

  skipRest(close: string, why: string): Expr {
    let depth = 1;
    while (this.pos < this.src.length && depth > 0) {
      const c = this.src[this.pos];
      if (c === '"') {
        this.quoted();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      this.pos++;
    }
    if (depth > 0) this.fail(`unclosed '${close}'`);
    return { t: 'unsupported', why };
  }

  quoted(): Expr {
    this.expect('"');
    const parts: Array<string | Expr> = [];
    let text = '';
    let unsupported: string | undefined;
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const e = s[this.pos + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (e in simple) {
          text += simple[e];
          this.pos += 2;
        } else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          const hex = s.slice(this.pos + 2, this.pos + 2 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail('bad unicode escape');
          text += String.fromCodePoint(parseInt(hex, 16));
          this.pos += 2 + len;
        } else this.fail(`bad escape '\\${e}'`);
        continue;
      }
      if (s.startsWith('$${', this.pos) || s.startsWith('%%{', this.pos)) {
        text += s.slice(this.pos + 1, this.pos + 3);
        this.pos += 3;
        continue;
      }
      if (s.startsWith('${', this.pos)) {
        if (text) parts.push(text);
        text = '';
        this.pos += 2;
        this.eat('~');
        parts.push(this.expr());
        this.eat('~');
        this.expect('}');
        continue;
      }
      if (s.startsWith('%{', this.pos)) {
        unsupported = 'template directive';
        const end = s.indexOf('}', this.pos);
        if (end < 0) this.fail('unterminated template directive');
        this.pos = end + 1;
        continue;
      }
      text += c;
      this.pos++;
    }
    if (unsupported) return { t: 'unsupported', why: unsupported };
    if (text || parts.length === 0) parts.push(text);
    return parts.length === 1 && typeof parts[0] === 'string' ? { t: 'lit', v: parts[0] } : { t: 'tmpl', parts };
  }

  heredoc(): Expr {
    this.pos += 2;
    const indent = this.src[this.pos] === '-';
    if (indent) this.pos++;
    const id = this.ident();
    if (!id) this.fail('expected heredoc identifier');
    const nl = this.src.indexOf('\n', this.pos);
    if (nl < 0) this.fail('unterminated heredoc');
    const lines: string[] = [];
    let at = nl + 1;
    for (;;) {
      if (at > this.src.length) this.fail(`heredoc '${id}' is not closed`);
      const end = this.src.indexOf('\n', at);
      const line = this.src.slice(at, end < 0 ? this.src.length : end).replace(/\r$/, '');
      if (line.trim() === id) {
        this.pos = end < 0 ? this.src.length : end;
        break;
      }
      lines.push(line);
      if (end < 0) this.fail(`heredoc '${id}' is not closed`);
      at = end + 1;
    }
    let body = lines;
    if (indent) {
      const widths = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
      const strip = widths.length ? Math.min(...widths) : 0;
      body = lines.map((l) => l.slice(strip));
    }
    return parseTemplate(body.map((l) => l + '\n').join(''));
  }
}

/** Parses template text (heredoc content): `${}` interpolations, `$${` escapes, no backslash escapes. */
export function parseTemplate(text: string): Expr {
  const parts: Array<string | Expr> = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      literal += text.slice(i + 1, i + 3);
      i += 3;
    } else if (text.startsWith('${', i)) {
      if (literal) parts.push(literal);
      literal = '';
      const p = new Parser(text);
      p.pos = i + 2;
      p.eat('~');
      parts.push(p.expr());
      p.eat('~');
      p.expect('}');
      i = p.pos;
    } else if (text.startsWith('%{', i)) {
      return { t: 'unsupported', why: 'template directive' };
    } else {
      literal += text[i++];
    }
  }
  if (literal || parts.length === 0) parts.push(literal);
  return parts.length === 1 && typeof parts[0] === 'string' ? { t: 'lit', v: parts[0] } : { t: 'tmpl', parts };
}

/** Parses one whole expression; throws ExprSyntaxError when text is left over or malformed. */
export function parseExpression(source: string): Expr {
  const p = new Parser(source);
  const e = p.expr();
  p.skipSpace();
  if (p.pos < source.length) p.fail(`unexpected '${source[p.pos]}'`);
  return e;
}
