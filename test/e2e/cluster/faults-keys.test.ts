/**
 * Issue 15 item 4: signing keys rotated and revoked with the admin CLI against the keys store
 * three running instances share. Every instance picks the change up by itself within its key
 * refresh interval (`cache.keyRefreshSeconds`, short here): a rotated key is published in each
 * JWKS (announced) before it signs, `--activate-now` makes every instance sign with it, a revoked
 * key leaves every JWKS and its tokens are refused, and each instance logs what it picked up.
 * Prints how long each instance took after the CLI returned.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { repoRoot } from '../../server/fixtures/process.ts'
import { clientCredentials, faultsConfig, faultsSeed, introspect, jwtClient } from './faults-support.ts'
import { type Cluster, clusterKeySecret, startCluster } from './instances.ts'

const REFRESH_SECONDS = 2
/** A generous bound for a loaded machine; the printed figures show the real pick-up times. */
const PICK_UP_TIMEOUT_MS = 20_000

interface Jwks {
  keys: { kid: string; alg: string }[]
}

describe('keys rotated and revoked with the CLI while three instances run', () => {
  let cluster: Cluster

  beforeAll(async () => {
    cluster = await startCluster({
      count: 3,
      // Nothing listens here: these tests talk to each instance directly.
      issuer: 'https://id.faults.test',
      seed: faultsSeed(),
      config: { ...faultsConfig, cache: { keyRefreshSeconds: REFRESH_SECONDS } },
    })
  }, 90_000)

  afterAll(async () => {
    await cluster?.close()
  }, 30_000)

  async function cli(...args: string[]): Promise<string> {
    const proc = Bun.spawn(
      [process.execPath, join(repoRoot, 'server/cli/main.ts'), ...args, '--config', cluster.configPath],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          PORTICO_KEY_SECRET: clusterKeySecret,
        },
        stdout: 'pipe',
        stderr: 'pipe',
      },
    )
    const [stdout, stderr, status] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ])
    if (status !== 0) throw new Error(`portico ${args.join(' ')} exited with ${status}: ${stderr}`)
    return stdout
  }

  const jwks = async (url: string) =>
    (await (await fetch(`${url}/.well-known/openid-configuration/jwks`)).json()) as Jwks
  const accessToken = async (url: string) => {
    const response = await clientCredentials(url, jwtClient)
    expect(response.status).toBe(200)
    return ((await response.json()) as { access_token: string }).access_token
  }

  /** Polls each instance until `check` holds; resolves with each one's milliseconds since `t0`. */
  async function perInstance(t0: number, what: string, check: (url: string) => Promise<boolean>) {
    return Promise.all(
      cluster.instances.map(async (instance) => {
        const deadline = performance.now() + PICK_UP_TIMEOUT_MS
        while (!(await check(instance.url))) {
          if (performance.now() > deadline) throw new Error(`instance ${instance.index}: ${what} not seen`)
          await Bun.sleep(50)
        }
        return Math.round(performance.now() - t0)
      }),
    )
  }

  const loggedBy = (event: string, kid: string) =>
    cluster.instances.map((instance) =>
      instance.lines.some((line) => line.includes(`"event":"${event}"`) && line.includes(kid)),
    )

  test('a rotated key is published by every instance before it signs; --activate-now makes every one sign with it', async () => {
    const before = await jwks(cluster.instances[0]!.url)
    const oldKid = before.keys.find((key) => key.alg === 'ES256')!.kid
    const oldToken = await accessToken(cluster.instances[0]!.url)
    expect(decodeProtectedHeader(oldToken).kid).toBe(oldKid)

    // Announced: in every JWKS within the refresh interval, not yet signing (RFC 7517 §5 key set).
    let t0 = performance.now()
    const announced = /key (\S+) \(ES256\) announced/.exec(await cli('keys', 'rotate', '--alg', 'ES256'))?.[1]
    expect(announced).toBeString()
    const published = await perInstance(t0, `announced key ${announced} in the JWKS`, async (url) =>
      (await jwks(url)).keys.some((key) => key.kid === announced),
    )
    for (const instance of cluster.instances) {
      expect(decodeProtectedHeader(await accessToken(instance.url)).kid).toBe(oldKid)
    }

    // Active now: every instance signs with it.
    t0 = performance.now()
    const active = /key (\S+) \(ES256\) is active now/.exec(
      await cli('keys', 'rotate', '--alg', 'ES256', '--activate-now'),
    )?.[1]
    expect(active).toBeString()
    // The first token signed with it, wherever: every instance vouches for it at once, also one
    // that has not refreshed yet (it looks in the keys store for the unknown kid).
    let first: string | undefined
    let firstAfter = 0
    for (const deadline = Date.now() + PICK_UP_TIMEOUT_MS; !first && Date.now() < deadline; ) {
      for (const instance of cluster.instances) {
        const token = await accessToken(instance.url)
        if (!first && decodeProtectedHeader(token).kid === active) first = token
      }
      firstAfter = Math.round(performance.now() - t0)
    }
    expect(first).toBeString()
    for (const instance of cluster.instances) {
      expect(await (await introspect(instance.url, first!)).json()).toMatchObject({ active: true })
    }
    const signing = await perInstance(
      t0,
      `tokens signed with ${active}`,
      async (url) => decodeProtectedHeader(await accessToken(url)).kid === active,
    )
    console.log(
      `keys rotate --alg ES256: each instance published ${announced} after ${published.join(' / ')} ms; ` +
        `keys rotate --activate-now: the first token signed with ${active} after ${firstAfter} ms, ` +
        `vouched for by every instance at once; each signed with it after ${signing.join(' / ')} ms ` +
        `(cache.keyRefreshSeconds ${REFRESH_SECONDS})`,
    )

    // The old key stays published: what it signed still verifies against any instance's JWKS.
    for (const instance of cluster.instances) {
      const set = await jwks(instance.url)
      expect(set.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([oldKid, announced!, active!]))
      await jwtVerify(oldToken, createLocalJWKSet(set))
    }
    // Each instance said what it picked up (its own log line, with the kid).
    for (const kid of [announced!, active!]) {
      for (const deadline = Date.now() + 5_000; loggedBy('keys.signing_key_added', kid).includes(false); ) {
        if (Date.now() > deadline) break
        await Bun.sleep(50)
      }
      expect(loggedBy('keys.signing_key_added', kid)).toEqual([true, true, true])
    }
  }, 90_000)

  test('a revoked key leaves every JWKS and its tokens are refused everywhere', async () => {
    const url = cluster.instances[2]!.url
    const token = await accessToken(url)
    const kid = decodeProtectedHeader(token).kid!
    for (const instance of cluster.instances) {
      expect(await (await introspect(instance.url, token)).json()).toMatchObject({ active: true })
    }

    const t0 = performance.now()
    await cli('keys', 'revoke', kid)
    const gone = await perInstance(t0, `revoked ${kid} gone from the JWKS`, async (instanceUrl) =>
      (await jwks(instanceUrl)).keys.every((key) => key.kid !== kid),
    )
    console.log(`keys revoke ${kid}: gone from each instance's JWKS after ${gone.join(' / ')} ms`)
    for (const instance of cluster.instances) {
      // RFC 7662 §2.2: a token this server no longer vouches for is inactive, nothing more.
      expect(await (await introspect(instance.url, token)).json()).toEqual({ active: false })
      // A revoked active key is replaced: the instance still issues tokens, with another kid.
      expect(decodeProtectedHeader(await accessToken(instance.url)).kid).not.toBe(kid)
    }
    expect(loggedBy('keys.signing_key_removed', kid)).toEqual([true, true, true])
  }, 90_000)
})
