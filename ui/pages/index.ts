/**
 * The replaceable pages (`ui.pages`) and their defaults. A team's component gets the same props
 * as the default and returns the card's content; Portico wraps it in the layout (title, theme,
 * language, CSP nonce) and keeps the protocol: it checks the anti-forgery token and every posted
 * value, and hono/jsx escapes what the component renders.
 */
import type { PageComponent } from '../page-props.tsx'
import { ConsentView, type ConsentViewProps } from './consent.tsx'
import { DeviceView, type DeviceViewProps } from './device.tsx'
import { ErrorView, type ErrorViewProps } from './error.tsx'
import { LoggedOutView, type LoggedOutViewProps } from './logged-out.tsx'
import { LoginView, type LoginViewProps } from './login.tsx'
import { LogoutView, type LogoutViewProps } from './logout.tsx'

/** Each replaceable page's props, by its `ui.pages` key. */
export interface PagePropsByName {
  login: LoginViewProps
  consent: ConsentViewProps
  device: DeviceViewProps
  error: ErrorViewProps
  logout: LogoutViewProps
  loggedOut: LoggedOutViewProps
}

export type PageName = keyof PagePropsByName

export type PageComponents = { [K in PageName]: PageComponent<PagePropsByName[K]> }

export const pageNames = [
  'login',
  'consent',
  'device',
  'error',
  'logout',
  'loggedOut',
] as const satisfies readonly PageName[]

export const defaultPages: PageComponents = {
  login: LoginView,
  consent: ConsentView,
  device: DeviceView,
  error: ErrorView,
  logout: LogoutView,
  loggedOut: LoggedOutView,
}
