// The part of GitHub's expression language our workflows use: context paths, string literals,
// `==`, `!=`, `&&`, `||`, `!`, parentheses and the status functions. Values are strings (''
// is false), as the runner hands them to actions; an unknown construct throws, so a workflow that
// grows past this subset fails its test instead of being half-run.

export type Context = Record<string, unknown>;

export interface Status {
  /** A step of the job has failed so far. */
  failed: boolean;
}

type Token = { kind: 'path' | 'string' | 'op' | 'call'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:'((?:[^']|'')*)'|(==|!=|&&|\|\||!|\(|\))|(success|failure|always|cancelled)\(\)|([A-Za-z_][\w-]*(?:\.[\w-]+)*))/y;
  const end = source.trimEnd().length;
  let at = 0;
  while (at < end) {
    pattern.lastIndex = at;
    const match = pattern.exec(source);
    if (!match) throw new Error(`expression ${JSON.stringify(source)}: cannot read from ${JSON.stringify(source.slice(at))}`);
    if (match[1] !== undefined) tokens.push({ kind: 'string', text: match[1].replace(/''/g, "'") });
    else if (match[2] !== undefined) tokens.push({ kind: 'op', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'call', text: match[3] });
    else tokens.push({ kind: 'path', text: match[4]! });
    at = pattern.lastIndex;
  }
  return tokens;
}

function lookup(context: Context, path: string): string {
  let value: unknown = context;
  for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Evaluates one expression (without `${{ }}`) to a string; `true`/`false` for comparisons. */
export function evaluate(source: string, context: Context, status: Status = { failed: false }): string {
  const tokens = tokenize(source);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const truthy = (v: string): boolean => v !== '' && v !== 'false';
  const primary = (): string => {
    const token = tokens[i++];
    if (!token) throw new Error(`expression ${JSON.stringify(source)} ends too early`);
    if (token.kind === 'string') return token.text;
    if (token.kind === 'path') return lookup(context, token.text);
    if (token.kind === 'call') return String({ success: !status.failed, failure: status.failed, always: true, cancelled: false }[token.text]);
    if (token.text === '!') return String(!truthy(primary()));
    if (token.text === '(') {
      const value = or();
      if (tokens[i++]?.text !== ')') throw new Error(`expression ${JSON.stringify(source)}: missing )`);
      return value;
    }
    throw new Error(`expression ${JSON.stringify(source)}: unexpected ${token.text}`);
  };
  const comparison = (): string => {
    const left = primary();
    const op = peek();
    if (op?.kind === 'op' && (op.text === '==' || op.text === '!=')) {
      i++;
      const right = primary();
      return String((left.toLowerCase() === right.toLowerCase()) === (op.text === '=='));
    }
    return left;
  };
  const and = (): string => {
    let value = comparison();
    while (peek()?.text === '&&') {
      i++;
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  const or = (): string => {
    let value = and();
    while (peek()?.text === '||') {
      i++;
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`expression ${JSON.stringify(source)}: unexpected ${tokens[i]!.text}`);
  return value;
}

/** Replaces every `${{ … }}` in a `with:` value. */
export function interpolate(text: string, context: Context, status?: Status): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, inner: string) => evaluate(inner, context, status));
}

/** An `if:`: a bare expression or one in `${{ }}`; without a status function it means `success() && …`. */
export function condition(text: string | undefined, context: Context, status: Status): boolean {
  if (text === undefined) return !status.failed;
  const bare = text.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const value = evaluate(bare, context, status);
  const hasStatus = /\b(success|failure|always|cancelled)\(\)/.test(bare);
  return (hasStatus || !status.failed) && value !== '' && value !== 'false';
}
