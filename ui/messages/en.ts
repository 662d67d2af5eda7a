/**
 * The English catalogue: every text the pages show, by key. It is complete by definition; other
 * languages and a team's overrides fall back to it key by key. `{name}` is a placeholder the
 * page fills in (as text, escaped by hono/jsx).
 */
export const en = {
  'login.title': 'Sign in',
  'login.heading': 'Welcome',
  'login.lead': 'Sign in to continue.',
  'login.leadClient': 'Sign in to continue to {client}',
  'login.username': 'User name',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.error.credentials': 'The user name or password is incorrect.',
  'login.error.throttledOne': 'Too many sign-in attempts. Try again in 1 minute.',
  'login.error.throttled': 'Too many sign-in attempts. Try again in {minutes} minutes.',
  'login.done.title': 'You are signed in',
  'login.done.message': 'You can close this page and return to the application.',

  'consent.title': 'Authorize {client}',
  'consent.lead': 'This application is asking for access to your account.',
  'consent.uncheck': 'Uncheck anything you do not want to share.',
  'consent.signedInAs': 'Signed in as {user}',
  'consent.deviceCode': 'Allow only if your device shows this code:',
  'consent.identityScopes': 'Personal information',
  'consent.apiScopes': 'Application access',
  'consent.required': 'required',
  'consent.sensitive': '(sensitive)',
  'consent.remember': 'Remember my decision',
  'consent.allow': 'Allow',
  'consent.deny': 'Deny',
  'consent.logoAlt': '{client} logo',

  'scope.openid': 'Your user identifier',
  'scope.profile': 'User profile',
  'scope.profile.description': 'Your user profile information (first name, last name, etc.)',
  'scope.email': 'Your email address',
  'scope.address': 'Your postal address',
  'scope.phone': 'Your phone number',
  'scope.offline_access': 'Offline access',
  'scope.offline_access.description': 'Access to your applications and resources, even when you are offline',

  'device.title': 'Connect a device',
  'device.lead': 'Enter the code shown on your device.',
  'device.leadConfirm': 'Check that this code matches the one shown on your device, then continue.',
  'device.code': 'Code',
  'device.continue': 'Continue',
  'device.error.invalid': 'That code is not valid or has expired. Check your device and try again.',
  'device.error.throttled': 'Too many attempts. Wait a few minutes and try again.',
  'device.approved.title': 'Device connected',
  'device.approved.lead': '{client} can now continue on your device. You can close this page.',
  'device.denied.title': 'Access denied',
  'device.denied.lead': '{client} was not given access. You can close this page.',

  'error.title': 'This sign-in request cannot continue',
  'error.title.logout': 'This sign-out request cannot continue',
  'error.title.server': 'Something went wrong',
  'error.title.notFound': 'Page not found',
  'error.title.unavailable': 'Temporarily unavailable',
  'error.message': 'The request could not be completed.',
  'error.message.notFound': 'There is nothing at this address.',
  'error.message.unavailable': 'This cannot be completed right now. Wait a moment and try again.',
  'error.message.formExpired':
    'The form has expired or did not come from this browser. Go back and try again.',
  'error.message.badLink': 'The link you followed is not valid. Start again from the application.',
  'error.message.decision': 'Choose Allow or Deny.',
  'error.hint': 'You can close this page and try again from the application you came from.',
  'error.code': 'Error',
  'error.details': 'Details',
  'error.requestId': 'Request id',

  'logout.title': 'Sign out',
  'logout.heading': 'Sign out?',
  'logout.lead': 'You will be signed out of every application that uses this account here.',
  'logout.leadClient':
    '{client} asks to sign you out. You will be signed out of every application that uses this account here.',
  'logout.submit': 'Sign out',

  'loggedOut.title': 'Signed out',
  'loggedOut.heading': 'You are signed out',
  'loggedOut.return': 'Return to {client}',
  'loggedOut.returnApp': 'Return to the application',
  'loggedOut.close': 'You can close this page.',
  'loggedOut.frame': 'Sign-out',

  'formPost.title': 'Continuing',
  'formPost.heading': 'Continuing to the application…',
  'formPost.lead': 'If nothing happens, press Continue.',
  'formPost.continue': 'Continue',
} as const

export type MessageKey = keyof typeof en
/** A complete catalogue: one text per key. */
export type Messages = Record<MessageKey, string>
