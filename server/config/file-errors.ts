/**
 * Why a config file could not be read, said without its contents: a config holds secrets, and
 * the engines' own messages quote the offending text (`Unexpected identifier "s3cret"`) or
 * whatever a `.ts` config threw. Position and kind are enough to find the mistake.
 */
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser'

/** By jsonc-parser's error name (its codes are a const enum, not a value at run time). */
const expected: Record<string, string> = {
  InvalidSymbol:
    'a JSON value was expected (a string in double quotes, a number, true, false, null, an object or an array)',
  InvalidNumberFormat: 'the number is malformed',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'the end of the file was expected',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'the string was not closed',
  UnexpectedEndOfNumber: 'the number is cut short',
  InvalidUnicode: 'a \\u escape is malformed',
  InvalidEscapeCharacter: 'a backslash escape is malformed',
  InvalidCharacter: 'a control character in a string must be escaped',
}

/**
 * Where and why `source`, which JSON.parse refused, is not JSON: `line 3, column 16: a value
 * was expected`. JSON.parse stays the judge; jsonc-parser, in its strict mode, only locates.
 */
export function jsonSyntaxProblem(source: string): string {
  const errors: ParseError[] = []
  parse(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false })
  const first = errors[0]
  if (!first) return 'the file is not JSON'
  const before = source.slice(0, first.offset)
  const line = before.split('\n').length
  const column = first.offset - (before.lastIndexOf('\n') + 1) + 1
  return `line ${line}, column ${column}: ${expected[printParseErrorCode(first.error)] ?? 'the JSON is malformed'}`
}

/**
 * What went wrong importing a `.ts`/`.js` config, by kind and position only: a thrown
 * message is the config's own text (it may interpolate a secret), and Bun's syntax and
 * resolve messages quote the source. The operator runs the file with bun to see them.
 */
export function moduleLoadProblem(error: unknown, file: string): string {
  const syntax = (error as { errors?: { position?: { line?: number; column?: number } }[] })?.errors?.[0]
  if (error instanceof AggregateError && syntax?.position?.line !== undefined) {
    const { line, column } = syntax.position
    return `a syntax error at line ${line}, column ${column}; run it with bun to see the error`
  }
  const name = error instanceof Error ? error.name : typeof error
  if (name === 'ResolveMessage') {
    return 'it imports a module that cannot be found; run it with bun to see which'
  }
  const frame = error instanceof Error ? stackPosition(error.stack, file) : undefined
  const where = frame ? ` at line ${frame.line}, column ${frame.column}` : ''
  return `it threw ${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}${where}; its message is not shown, run it with bun to see it`
}

/** The first stack frame in `file`. */
function stackPosition(
  stack: string | undefined,
  file: string,
): { line: string; column: string } | undefined {
  for (const frame of stack?.split('\n') ?? []) {
    const at = frame.lastIndexOf(`${file}:`)
    if (at < 0) continue
    const match = /^:(\d+):(\d+)/.exec(frame.slice(at + file.length))
    if (match) return { line: match[1]!, column: match[2]! }
  }
  return undefined
}
