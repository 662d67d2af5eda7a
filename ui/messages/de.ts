/** The German catalogue, complete (a test compares its keys and placeholders with English). */
import type { Messages } from './en.ts'

export const de: Messages = {
  'login.title': 'Anmelden',
  'login.heading': 'Willkommen',
  'login.lead': 'Melden Sie sich an, um fortzufahren.',
  'login.leadClient': 'Melden Sie sich an, um mit {client} fortzufahren',
  'login.username': 'Benutzername',
  'login.password': 'Passwort',
  'login.submit': 'Anmelden',
  'login.error.credentials': 'Benutzername oder Passwort ist falsch.',
  'login.error.throttledOne': 'Zu viele Anmeldeversuche. Versuchen Sie es in 1 Minute erneut.',
  'login.error.throttled': 'Zu viele Anmeldeversuche. Versuchen Sie es in {minutes} Minuten erneut.',
  'login.done.title': 'Sie sind angemeldet',
  'login.done.message': 'Sie können diese Seite schließen und zur Anwendung zurückkehren.',

  'consent.title': '{client} autorisieren',
  'consent.lead': 'Diese Anwendung bittet um Zugriff auf Ihr Konto.',
  'consent.uncheck': 'Entfernen Sie das Häkchen bei allem, was Sie nicht teilen möchten.',
  'consent.signedInAs': 'Angemeldet als {user}',
  'consent.deviceCode': 'Erlauben Sie den Zugriff nur, wenn Ihr Gerät diesen Code zeigt:',
  'consent.identityScopes': 'Persönliche Daten',
  'consent.apiScopes': 'Zugriff auf Anwendungen',
  'consent.required': 'erforderlich',
  'consent.sensitive': '(vertraulich)',
  'consent.remember': 'Entscheidung merken',
  'consent.allow': 'Erlauben',
  'consent.deny': 'Ablehnen',
  'consent.logoAlt': 'Logo von {client}',

  'scope.openid': 'Ihre Benutzerkennung',
  'scope.profile': 'Benutzerprofil',
  'scope.profile.description': 'Ihre Profilangaben (Vorname, Nachname usw.)',
  'scope.email': 'Ihre E-Mail-Adresse',
  'scope.address': 'Ihre Postanschrift',
  'scope.phone': 'Ihre Telefonnummer',
  'scope.offline_access': 'Offline-Zugriff',
  'scope.offline_access.description':
    'Zugriff auf Ihre Anwendungen und Ressourcen, auch wenn Sie offline sind',

  'device.title': 'Gerät verbinden',
  'device.lead': 'Geben Sie den Code ein, den Ihr Gerät anzeigt.',
  'device.leadConfirm':
    'Prüfen Sie, ob dieser Code mit dem auf Ihrem Gerät übereinstimmt, und fahren Sie dann fort.',
  'device.code': 'Code',
  'device.continue': 'Weiter',
  'device.error.invalid':
    'Dieser Code ist ungültig oder abgelaufen. Prüfen Sie Ihr Gerät und versuchen Sie es erneut.',
  'device.error.throttled': 'Zu viele Versuche. Warten Sie einige Minuten und versuchen Sie es erneut.',
  'device.approved.title': 'Gerät verbunden',
  'device.approved.lead': '{client} kann jetzt auf Ihrem Gerät fortfahren. Sie können diese Seite schließen.',
  'device.denied.title': 'Zugriff verweigert',
  'device.denied.lead': '{client} hat keinen Zugriff erhalten. Sie können diese Seite schließen.',

  'error.title': 'Diese Anmeldung kann nicht fortgesetzt werden',
  'error.title.logout': 'Diese Abmeldung kann nicht fortgesetzt werden',
  'error.title.server': 'Etwas ist schiefgelaufen',
  'error.title.notFound': 'Seite nicht gefunden',
  'error.title.unavailable': 'Vorübergehend nicht verfügbar',
  'error.message': 'Die Anfrage konnte nicht abgeschlossen werden.',
  'error.message.notFound': 'Unter dieser Adresse gibt es nichts.',
  'error.message.unavailable':
    'Das ist gerade nicht möglich. Warten Sie einen Moment und versuchen Sie es erneut.',
  'error.message.formExpired':
    'Das Formular ist abgelaufen oder stammt nicht aus diesem Browser. Gehen Sie zurück und versuchen Sie es erneut.',
  'error.message.badLink': 'Der aufgerufene Link ist ungültig. Beginnen Sie erneut in der Anwendung.',
  'error.message.decision': 'Wählen Sie Erlauben oder Ablehnen.',
  'error.hint':
    'Sie können diese Seite schließen und es in der Anwendung, von der Sie kamen, erneut versuchen.',
  'error.code': 'Fehler',
  'error.details': 'Details',
  'error.requestId': 'Anfrage-ID',

  'logout.title': 'Abmelden',
  'logout.heading': 'Abmelden?',
  'logout.lead': 'Sie werden von allen Anwendungen abgemeldet, die dieses Konto hier verwenden.',
  'logout.leadClient':
    '{client} möchte Sie abmelden. Sie werden von allen Anwendungen abgemeldet, die dieses Konto hier verwenden.',
  'logout.submit': 'Abmelden',

  'loggedOut.title': 'Abgemeldet',
  'loggedOut.heading': 'Sie sind abgemeldet',
  'loggedOut.return': 'Zurück zu {client}',
  'loggedOut.returnApp': 'Zurück zur Anwendung',
  'loggedOut.close': 'Sie können diese Seite schließen.',
  'loggedOut.frame': 'Abmeldung',

  'formPost.title': 'Weiterleitung',
  'formPost.heading': 'Weiter zur Anwendung …',
  'formPost.lead': 'Falls nichts passiert, klicken Sie auf Weiter.',
  'formPost.continue': 'Weiter',
}
