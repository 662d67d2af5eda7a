/**
 * The props a page gets outside a request (tests, screenshots, the full-page wrappers kept for
 * existing callers): English texts and the built-in theme.
 */
import { defaultProductName } from './custom-theme.ts'
import { builtInMessages, translator } from './messages/index.ts'
import type { PageProps } from './page-props.tsx'

export const standaloneProps: PageProps = {
  t: translator(builtInMessages.en!),
  locale: 'en',
  theme: { productName: defaultProductName },
}
