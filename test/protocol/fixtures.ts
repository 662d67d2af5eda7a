/** Real stores (the memory plugin) and a real key ring for the protocol unit tests. */
import type { Clock } from '../../core/clock.ts'
import { KeyRing } from '../../core/keys/key-ring.ts'
import { silentLogger } from '../../core/logger.ts'
import { type ClientInput, client } from '../../core/models/client.ts'
import {
  type ApiResourceInput,
  type ApiScopeInput,
  apiResource,
  apiScope,
} from '../../core/models/resources.ts'
import { hashSecret } from '../../core/models/secret.ts'
import type { PluginInstance } from '../../core/stores/contract.ts'
import memory from '../../plugins/memory/index.ts'

export class TestClock implements Clock {
  constructor(private time = Date.now()) {}
  now(): number {
    return this.time
  }
  advance(ms: number): void {
    this.time += ms
  }
}

export interface Fixture {
  clock: TestClock
  instance: PluginInstance
  stores: Required<Pick<PluginInstance, 'configuration' | 'operational' | 'keys'>>
  close(): Promise<void>
}

export async function memoryStores(clock = new TestClock()): Promise<Fixture> {
  const instance = await memory.create(
    {},
    {
      roles: ['configuration', 'operational', 'keys'],
      clock,
      logger: silentLogger,
    },
  )
  return {
    clock,
    instance,
    stores: {
      configuration: instance.configuration!,
      operational: instance.operational!,
      keys: instance.keys!,
    },
    close: () => instance.close(),
  }
}

export async function keyRing(fixture: Fixture): Promise<KeyRing> {
  return KeyRing.create({
    store: fixture.stores.keys,
    secret: 'protocol-test-secret-0123456789',
    clock: fixture.clock,
    refreshInterval: 0,
  })
}

/** A confidential client whose secret is stored hashed, as the seed stores it. */
export function confidentialClient(
  input: Partial<ClientInput> & { clientId: string },
  secret = 'secret-0123456789',
) {
  return client({ clientSecrets: [{ type: 'SharedSecret', value: hashSecret(secret) }], ...input })
}

export async function seedResources(
  fixture: Fixture,
  scopes: ApiScopeInput[],
  resources: ApiResourceInput[],
): Promise<void> {
  for (const scope of scopes) await fixture.stores.configuration.resources.upsertApiScope(apiScope(scope))
  for (const resource of resources) {
    await fixture.stores.configuration.resources.upsertApiResource(apiResource(resource))
  }
}
