/**
 * `bun run bench`: throughput and latency figures, printed (never asserted). Results are
 * recorded in docs/performance.md.
 *
 * PORTICO_BENCH_PHASES picks what runs (comma-separated; default all): the token service's
 * issuance, latency, introspection and documents (bench/token/token-bench.ts), and the sign-in's
 * sign-in (whole sign-ins, bench/sign-in/flow.ts) and code-exchange (bench/sign-in/code-exchange.ts).
 * PORTICO_BENCH_INTROSPECTION_STORES picks the introspection's stores (default memory,libsql,redis);
 * PORTICO_BENCH_BARE_LIBSQL=client has its libSQL reference read through @libsql/client.
 */
import { runCodeExchangeBench } from './sign-in/code-exchange.ts'
import { runSignInFlow } from './sign-in/flow.ts'
import { runTokenBench } from './token/token-bench.ts'

const tokenPhases = ['issuance', 'latency', 'introspection', 'documents']
const phases = new Set(
  (process.env.PORTICO_BENCH_PHASES ?? [...tokenPhases, 'sign-in', 'code-exchange'].join(',')).split(','),
)

if (tokenPhases.some((phase) => phases.has(phase))) await runTokenBench()
if (phases.has('sign-in')) await runSignInFlow()
if (phases.has('code-exchange')) await runCodeExchangeBench()
