/** The shape of a CLI verb group (`server/cli/<group>.ts` default-exports one). */
export interface CliCommand {
  /** One line for `bun run portico help`. */
  summary: string
  /** Arguments after the verb; resolves to the exit status. */
  run(args: string[]): Promise<number>
}

/** Thrown for a usage mistake; the CLI prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
