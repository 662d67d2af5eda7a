/** Bounds a promise in time, so a hanging backend fails a test with a message instead of a timeout. */
export async function withinMs<T>(ms: number, promise: T | Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, expired])
  } finally {
    clearTimeout(timer)
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Retries `check` until it resolves, failing with `what` (and the last error) after `ms`. */
export async function eventually(
  check: () => Promise<unknown>,
  ms: number,
  what: string,
  pollMs = 100,
): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      await check()
      return
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`, { cause: error })
      await sleep(pollMs)
    }
  }
}
