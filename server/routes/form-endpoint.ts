/**
 * What the token, introspection and revocation endpoints share: POST with a form body only,
 * a body size limit, never cached, every refusal a JSON OAuth error (RFC 6749 §3.2, §5.1).
 */
import type { Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { CredentialSource } from '../../core/protocol/client-authentication.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import { RequestParameters } from '../../core/protocol/request-parameters.ts'
import type { PorticoEnv } from '../app.ts'
import { peerAddress } from '../middleware/public-origin.ts'

/** Bytes a form body may have. */
export const maxFormBytes = 64 * 1024

/** A protocol request as core sees it. */
export interface FormRequest extends CredentialSource {
  issuer: string
  /** The endpoint's own URL under the issuer. */
  endpointUrl: string
}

export function mountFormEndpoint(
  app: Hono<PorticoEnv>,
  path: string,
  handle: (request: FormRequest, c: Context<PorticoEnv>) => Promise<Response>,
): void {
  app.all(
    path,
    async function formPostOnly(c, next) {
      try {
        if (c.req.method !== 'POST') {
          throw new OAuthError('invalid_request', 'this endpoint accepts POST only', 405, { Allow: 'POST' })
        }
        if (!isUtf8Form(c.req.header('content-type'))) {
          throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded', 415)
        }
        await next()
      } finally {
        // RFC 6749 §5.1: responses carrying or about credentials are never cached (errors too).
        c.res.headers.set('Cache-Control', 'no-store')
        c.res.headers.set('Pragma', 'no-cache')
      }
    },
    bodyLimit({
      maxSize: maxFormBytes,
      onError() {
        throw new OAuthError('invalid_request', `the body exceeds ${maxFormBytes} bytes`, 413)
      },
    }),
    async function formEndpoint(c) {
      // Bytes that are not UTF-8 decode to U+FFFD, which RequestParameters refuses.
      const params = RequestParameters.fromForm(await c.req.text())
      const issuer = c.var.issuer
      const url = c.req.url
      return handle(
        {
          issuer,
          endpointUrl: `${issuer}${path}`,
          params,
          authorization: c.req.header('authorization'),
          query: url.includes('?') ? new URL(url).searchParams : undefined,
          // Only read when a failure is counted, so the hot path skips the socket lookup.
          get remoteAddress() {
            return peerAddress(c)
          },
        },
        c,
      )
    },
  )
}

/** `application/x-www-form-urlencoded`, with no charset or UTF-8. */
function isUtf8Form(contentType: string | undefined): boolean {
  if (!contentType) return false
  const [type, ...parameters] = contentType.split(';')
  if (type?.trim().toLowerCase() !== 'application/x-www-form-urlencoded') return false
  return parameters.every((parameter) => {
    const [name, value] = parameter.split('=').map((part) => part.trim().toLowerCase())
    return name !== 'charset' || value === 'utf-8' || value === '"utf-8"'
  })
}
