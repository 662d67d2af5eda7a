/**
 * What the token, introspection, revocation and PAR endpoints share: POST with a form body only,
 * a body size limit, never cached, every refusal a JSON OAuth error (RFC 6749 §3.2, §5.1).
 */
import type { Context, Hono } from 'hono'
import type { CredentialSource } from '../../core/protocol/client-authentication.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import { RequestParameters } from '../../core/protocol/request-parameters.ts'
import { clientAddress } from '../middleware/public-origin.ts'
import type { PorticoEnv } from '../portico-env.ts'

/** Bytes a form body may have. */
export const maxFormBytes = 64 * 1024

/** A protocol request as core sees it. */
export interface FormRequest extends CredentialSource {
  issuer: string
  /** The endpoint's own URL under the issuer. */
  endpointUrl: string
  /** The DPoP header (RFC 9449 §4.1), read by the token endpoint only when present. */
  dpop?: string | undefined
  /** Takes the `DPoP-Nonce` of a success answer (RFC 9449 §8.2); only with a DPoP header. */
  onDPoPNonce?: ((nonce: string) => void) | undefined
}

/** RFC 6749 §5.1: responses carrying or about credentials are never cached. */
export const noStoreHeaders = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

/**
 * Mounts a form endpoint whose `handle` returns the JSON body (or null for an empty answer),
 * sent with `status` (200; the PAR endpoint's is 201). Errors it throws become JSON OAuth
 * errors in the server's error mapping, which marks them no-store too.
 */
export function mountFormEndpoint(
  app: Hono<PorticoEnv>,
  path: string,
  handle: (request: FormRequest) => Promise<object | null>,
  status: 200 | 201 = 200,
): void {
  app.all(path, async function formEndpoint(c) {
    if (c.req.method !== 'POST') {
      throw new OAuthError('invalid_request', 'this endpoint accepts POST only', 405, { Allow: 'POST' })
    }
    // Bytes that are not UTF-8 decode to U+FFFD, which RequestParameters refuses.
    const params = RequestParameters.fromForm(await readFormBody(c))
    // `c.get`, not `c.var`: hono builds a fresh object of every variable for each `c.var` read.
    const issuer = c.get('issuer')
    const url = c.req.url
    const queryAt = url.indexOf('?')
    const dpop = c.req.header('dpop')
    let dpopNonce: string | undefined
    const body = await handle({
      issuer,
      endpointUrl: `${issuer}${path}`,
      params,
      authorization: c.req.header('authorization'),
      dpop,
      onDPoPNonce:
        dpop === undefined
          ? undefined
          : (nonce) => {
              dpopNonce = nonce
            },
      // Not `new URL`: the URL need not parse when the issuer is fixed and the Host is odd.
      query: queryAt < 0 ? undefined : new URLSearchParams(url.slice(queryAt + 1)),
      // Only read when a failure is counted, so the hot path skips the socket lookup.
      get remoteAddress() {
        return clientAddress(c)
      },
    })
    if (dpopNonce !== undefined) {
      const headers = withDPoPNonce(dpopNonce)
      return body === null ? c.body(null, status, headers) : c.json(body, status, headers)
    }
    // The common answer's headers are built once: a Headers init is copied natively, where
    // c.json would make a Headers object and set each header on every response.
    if (body === null) return new Response(null, { status, headers: emptyAnswerHeaders })
    return new Response(JSON.stringify(body), { status, headers: jsonAnswerHeaders })
  })
}

const emptyAnswerHeaders = new Headers(noStoreHeaders)
const jsonAnswerHeaders = new Headers({ 'Content-Type': 'application/json', ...noStoreHeaders })

/** RFC 9449 §8.2: the no-store headers of a success answer and the client's next DPoP nonce. */
export function withDPoPNonce(nonce: string): Record<string, string> {
  return { ...noStoreHeaders, 'DPoP-Nonce': nonce }
}

/** A form body (`application/x-www-form-urlencoded`, UTF-8) as text: 415 for any other type, 413 when too large. */
export function readFormBody(c: Context): Promise<string> {
  if (!isUtf8Form(c.req.header('content-type'))) {
    throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded', 415)
  }
  return readForm(c)
}

/**
 * The body as text, refused with 413 beyond `maxFormBytes`. A declared Content-Length is
 * checked before reading (the fast path: no stream object is ever made); a body of unknown
 * length is counted as it streams in and dropped at the limit.
 */
async function readForm(c: Context): Promise<string> {
  const declared = c.req.header('content-length')
  if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
    if (!/^\d{1,15}$/.test(declared)) throw new OAuthError('invalid_request', 'malformed Content-Length')
    if (Number(declared) > maxFormBytes) throw tooLarge()
    return c.req.text()
  }
  const body = c.req.raw.body
  if (!body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.byteLength
    if (size > maxFormBytes) throw tooLarge()
    chunks.push(chunk)
  }
  return new TextDecoder().decode(Buffer.concat(chunks))
}

function tooLarge(): OAuthError {
  return new OAuthError('invalid_request', `the body exceeds ${maxFormBytes} bytes`, 413)
}

const formType = 'application/x-www-form-urlencoded'

/** `application/x-www-form-urlencoded`, with no charset or UTF-8. */
function isUtf8Form(contentType: string | undefined): boolean {
  if (!contentType) return false
  if (contentType === formType) return true
  const [type, ...parameters] = contentType.split(';')
  if (type?.trim().toLowerCase() !== formType) return false
  return parameters.every((parameter) => {
    const [name, value] = parameter.split('=').map((part) => part.trim().toLowerCase())
    return name !== 'charset' || value === 'utf-8' || value === '"utf-8"'
  })
}
