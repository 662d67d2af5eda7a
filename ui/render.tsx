/** @jsxImportSource hono/jsx */
/**
 * A replaceable page in Portico's frame: the component `ui.pages` names (or the default) with
 * the response's translate function, language and theme, inside the layout with its title.
 *
 * @example
 * c.html(renderPage(context, 'login', { action, returnUrl, ...formFields(token, { returnUrl }) }))
 */
import type { Child, FC } from 'hono/jsx'
import { Layout } from './layout.tsx'
import type { PageProps } from './page-props.tsx'
import type { PageContext } from './page-ui.ts'
import type { PageName, PagePropsByName } from './pages/index.ts'

/** A page's own values: everything but what Portico adds (`t`, `locale`, `theme`). */
export type PageValues<K extends PageName> = PagePropsByName[K] extends infer P
  ? P extends PageProps
    ? Omit<P, keyof PageProps>
    : never
  : never

const titles: { [K in PageName]: (props: PagePropsByName[K]) => string } = {
  login: ({ t }) => t('login.title'),
  consent: ({ t, client }) => t('consent.title', { client: client.name }),
  device: (props) =>
    props.step === 'code'
      ? props.t('device.title')
      : props.t(props.approved ? 'device.approved.title' : 'device.denied.title'),
  error: ({ title }) => title,
  logout: ({ t }) => t('logout.title'),
  loggedOut: ({ t }) => t('loggedOut.title'),
}

export function renderPage<K extends PageName>(
  context: PageContext,
  name: K,
  values: PageValues<K>,
  after?: Child,
) {
  const props = {
    ...(values as object),
    t: context.t,
    locale: context.locale,
    theme: { productName: context.theme.productName, logoUrl: context.theme.logoUrl },
  } as PagePropsByName[K]
  const Page = context.pages[name] as FC<PagePropsByName[K]>
  return (
    <Layout
      title={titles[name](props)}
      nonce={context.nonce}
      lang={context.locale}
      theme={context.theme}
      width={name === 'consent' ? 'wide' : 'narrow'}
    >
      <Page {...props} />
      {after}
    </Layout>
  )
}
