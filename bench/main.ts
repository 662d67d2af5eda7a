/**
 * `bun run bench`: throughput and latency figures, printed (never asserted). Results are
 * recorded in docs/performance.md.
 */
import { runTokenBench } from './token/token-bench.ts'

await runTokenBench()
