/** @jsxImportSource hono/jsx */
/**
 * What every page component receives besides its own values, so a team's replacement page
 * (`ui.pages`) can translate, show the theme and post a form Portico will accept.
 */
import type { Child, FC } from 'hono/jsx'
import type { ThemeInfo } from './custom-theme.ts'
import type { Translate } from './messages/index.ts'

export interface PageProps {
  /** The texts of the page's language: `t('login.submit')`, `t('consent.title', { client })`. */
  t: Translate
  /** The BCP 47 tag of that language (`<html lang>`). */
  locale: string
  theme: ThemeInfo
}

/** The anti-forgery token the form must post back under `name`, or the POST is refused (403). */
export interface AntiForgeryField {
  name: 'antiForgery'
  value: string
}

export interface FormProps {
  /** Where the form posts (`method="post"`). */
  action: string
  antiForgery: AntiForgeryField
  /** Every hidden field the POST needs (the anti-forgery token among them), ready to put inside the form. */
  hidden: Child
}

/** A page component: a hono/jsx function component; Portico puts what it returns in its layout. */
export type PageComponent<P> = FC<P>

/** The anti-forgery field and the hidden inputs carrying it and `fields`, for a form page's props. */
export function formFields(
  token: string,
  fields: Readonly<Record<string, string>> = {},
): Omit<FormProps, 'action'> {
  return {
    antiForgery: { name: 'antiForgery', value: token },
    hidden: (
      <>
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="antiForgery" value={token} />
      </>
    ),
  }
}
