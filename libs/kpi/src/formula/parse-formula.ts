import { FormulaSyntaxError } from './formula-errors';
import { type BinaryOperator, type FormulaNode, isFormulaFunctionName } from './formula-node';

/** Longest formula accepted: KPI formulas are short; the bound keeps parsing and evaluation cheap. */
export const MAX_FORMULA_LENGTH = 2000;
/** Deepest nesting of parentheses, function calls and negations; keeps recursion far from the stack limit. */
export const MAX_FORMULA_DEPTH = 64;

type TokenKind = 'number' | 'identifier' | 'operator' | '(' | ')' | ',' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly position: number;
}

const NUMBER = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const IDENTIFIER = /[a-z_][a-z0-9_]*/y;
const WHITESPACE = /\s/;
const UPPERCASE = /[A-Z]/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source.charAt(index);
    if (WHITESPACE.test(char)) {
      index += 1;
      continue;
    }
    if (char >= '0' && char <= '9') {
      NUMBER.lastIndex = index;
      const match = NUMBER.exec(source);
      const text = match ? match[0] : char;
      tokens.push({ kind: 'number', text, position: index });
      index += text.length;
      continue;
    }
    if ((char >= 'a' && char <= 'z') || char === '_') {
      IDENTIFIER.lastIndex = index;
      const match = IDENTIFIER.exec(source);
      const text = match ? match[0] : char;
      tokens.push({ kind: 'identifier', text, position: index });
      index += text.length;
      continue;
    }
    if (char === '+' || char === '-' || char === '*' || char === '/') {
      tokens.push({ kind: 'operator', text: char, position: index });
      index += 1;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char, text: char, position: index });
      index += 1;
      continue;
    }
    const hint = UPPERCASE.test(char) ? ' (identifiers are lowercase)' : '';
    // Report a whole code point so that an emoji is not shown as half a surrogate pair.
    const shown = String.fromCodePoint(source.codePointAt(index) ?? 0);
    throw new FormulaSyntaxError(`Unexpected character '${shown}' at position ${index}${hint}`, index);
  }
  tokens.push({ kind: 'end', text: '', position: source.length });
  return tokens;
}

class FormulaParser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): FormulaNode {
    const node = this.parseAdditive();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw unexpected(next);
    }
    return node;
  }

  private peek(): Token {
    // tokenize() always ends the list with an 'end' token, which is never consumed.
    return this.tokens[Math.min(this.index, this.tokens.length - 1)] ?? { kind: 'end', text: '', position: 0 };
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') {
      this.index += 1;
    }
    return token;
  }

  private expect(kind: TokenKind): Token {
    const token = this.peek();
    if (token.kind !== kind) {
      throw unexpected(token);
    }
    return this.advance();
  }

  private enter(token: Token): void {
    this.depth += 1;
    if (this.depth > MAX_FORMULA_DEPTH) {
      throw new FormulaSyntaxError(`Formula nests deeper than ${MAX_FORMULA_DEPTH} levels at position ${token.position}`, token.position);
    }
  }

  private leave(): void {
    this.depth -= 1;
  }

  private parseAdditive(): FormulaNode {
    let left = this.parseMultiplicative();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'operator' || (token.text !== '+' && token.text !== '-')) {
        return left;
      }
      this.advance();
      const right = this.parseMultiplicative();
      left = { kind: 'binary', operator: token.text, left, right };
    }
  }

  private parseMultiplicative(): FormulaNode {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'operator' || (token.text !== '*' && token.text !== '/')) {
        return left;
      }
      this.advance();
      const operator: BinaryOperator = token.text;
      const right = this.parseUnary();
      left = { kind: 'binary', operator, left, right };
    }
  }

  private parseUnary(): FormulaNode {
    const token = this.peek();
    if (token.kind === 'operator' && token.text === '-') {
      this.advance();
      this.enter(token);
      const operand = this.parseUnary();
      this.leave();
      return { kind: 'negate', operand };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FormulaNode {
    const token = this.advance();
    switch (token.kind) {
      case 'number': {
        const value = Number(token.text);
        if (!Number.isFinite(value)) {
          throw new FormulaSyntaxError(`Number '${token.text}' is out of range at position ${token.position}`, token.position);
        }
        return { kind: 'number', value };
      }
      case 'identifier':
        return this.peek().kind === '(' ? this.parseCall(token) : { kind: 'reference', name: token.text };
      case '(': {
        this.enter(token);
        const inner = this.parseAdditive();
        this.expect(')');
        this.leave();
        return inner;
      }
      default:
        throw unexpected(token);
    }
  }

  private parseCall(nameToken: Token): FormulaNode {
    const name = nameToken.text;
    if (!isFormulaFunctionName(name)) {
      throw new FormulaSyntaxError(`Unknown function '${name}' at position ${nameToken.position} (known: min, max, abs)`, nameToken.position);
    }
    const open = this.expect('(');
    this.enter(open);
    const args: FormulaNode[] = [this.parseAdditive()];
    while (this.peek().kind === ',') {
      this.advance();
      args.push(this.parseAdditive());
    }
    this.expect(')');
    this.leave();
    if (name === 'abs' && args.length !== 1) {
      throw new FormulaSyntaxError(`Function 'abs' takes 1 argument, got ${args.length} at position ${nameToken.position}`, nameToken.position);
    }
    return { kind: 'call', name, args };
  }
}

function unexpected(token: Token): FormulaSyntaxError {
  if (token.kind === 'end') {
    return new FormulaSyntaxError(`Unexpected end of formula at position ${token.position}`, token.position);
  }
  return new FormulaSyntaxError(`Unexpected '${token.text}' at position ${token.position}`, token.position);
}

/**
 * Parses a KPI formula: numbers, lowercase identifiers, `+ - * /`, unary minus, parentheses and
 * `min`, `max`, `abs`. Hand-written recursive descent: no `eval`, no `Function`, and identifiers
 * are only names in the tree, resolved later against an own-property lookup.
 */
export function parseFormula(source: string): FormulaNode {
  if (typeof source !== 'string') {
    throw new FormulaSyntaxError('Formula must be a string', 0);
  }
  if (source.length > MAX_FORMULA_LENGTH) {
    throw new FormulaSyntaxError(`Formula is longer than ${MAX_FORMULA_LENGTH} characters at position ${MAX_FORMULA_LENGTH}`, MAX_FORMULA_LENGTH);
  }
  if (source.trim() === '') {
    throw new FormulaSyntaxError('Formula is empty', 0);
  }
  return new FormulaParser(tokenize(source)).parse();
}
