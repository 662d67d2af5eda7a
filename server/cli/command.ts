/** The shape of a CLI verb group (`server/cli/<group>.ts` default-exports one). */
export interface CliCommand {
  /** One line for `portico help`. */
  summary: string
  /** Printed by `--help` (exit 0): one `portico <verb> …` line per subcommand. */
  usage: string
  /** Arguments after the verb; resolves to the exit status. */
  run(args: string[]): Promise<number>
}

/** Thrown for a usage mistake; the CLI prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** `--help` or `-h` anywhere, or `help` as the subcommand, asks for usage rather than action. */
export function wantsHelp(args: readonly string[]): boolean {
  return args[0] === 'help' || args.includes('--help') || args.includes('-h')
}

/**
 * The usage lines of one subcommand (`portico clients add …` and its indented
 * continuation lines), or the whole usage when the subcommand has none of its own.
 */
export function usageOf(usage: string, subcommand: string | undefined): string {
  const lines = usage.split('\n').slice(1)
  const picked: string[] = []
  let inside = false
  for (const line of lines) {
    const head = /^ {2}portico \S+ (\S+)/.exec(line)
    if (head) inside = head[1] === subcommand
    if (inside) picked.push(line)
  }
  return picked.length ? `usage:\n${picked.join('\n')}` : usage
}
