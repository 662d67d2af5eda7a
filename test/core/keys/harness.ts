/** Key rings over one backend namespace, all closed and dropped after each test. */
import { KeyRing, type KeyRingOptions } from '../../../core/keys/index.ts'
import type { KeyStore } from '../../../core/stores/keys.ts'
import { type KeyBackend, type KeyNamespace, ManualClock } from './backends.ts'

export const SECRET = 'test-secret-for-the-key-ring-0123456789'

export class RingHarness {
  readonly clock = new ManualClock()
  private readonly rings: KeyRing[] = []
  private readonly namespaces: KeyNamespace[] = []

  constructor(private readonly backend: KeyBackend) {}

  async namespace(): Promise<KeyNamespace> {
    const ns = await this.backend.open(this.clock)
    this.namespaces.push(ns)
    return ns
  }

  /** A ring as one server instance would start it: its own store connection, no timer unless asked. */
  async ring(ns: KeyNamespace, options: Partial<KeyRingOptions> = {}): Promise<KeyRing> {
    const store: KeyStore = options.store ?? (await ns.connect())
    const ring = await KeyRing.create({
      secret: SECRET,
      clock: this.clock,
      algorithms: ['ES256'],
      refreshInterval: 0,
      ...options,
      store,
    })
    this.rings.push(ring)
    return ring
  }

  async dispose(): Promise<void> {
    for (const ring of this.rings.splice(0)) ring.close()
    for (const ns of this.namespaces.splice(0)) await ns.dispose()
  }
}
