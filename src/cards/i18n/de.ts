import type { Strings } from './strings';

export const de: Strings = {
  language: 'de',
  locale: 'de-DE',
  problems: {
    'email.missing': () => 'Geben Sie die E-Mail-Adresse des Gasts ein.',
    'email.tooLong': (p) => `Die E-Mail-Adresse ist länger als ${p.max} Zeichen.`,
    'email.characters': () =>
      'Geben Sie genau eine E-Mail-Adresse ein (z. B. name@example.com), ohne Leerzeichen oder Sonderzeichen wie , ; < > ( ).',
    'email.shape': () => 'Geben Sie eine E-Mail-Adresse der Form name@example.com ein.',
    'email.localPart': () => 'Der Teil vor dem @ ist kein gültiger Postfachname.',
    'email.domain': () => 'Der Teil nach dem @ ist keine gültige Domain (wie example.com).',
    'displayName.tooLong': (p) => `Der Name darf höchstens ${p.max} Zeichen lang sein (er hat ${p.length}).`,
    'justification.missing': () => 'Begründen Sie, warum dieser Gast Zugriff braucht.',
    'justification.tooLong': (p) => `Die Begründung darf höchstens ${p.max} Zeichen lang sein (sie hat ${p.length}).`,
    'message.tooLong': (p) => `Die Nachricht darf höchstens ${p.max} Zeichen lang sein (sie hat ${p.length}).`,
    'sendInvitationMessage.invalid': () => 'Wählen Sie, ob Microsoft die Einladung per E-Mail senden soll.',
    'ccEmail.sameAsGuest': () => 'Die Kopie geht an jemand anderen: Das ist die Adresse des Gasts selbst.',
    'messageLanguage.unknown': () => 'Wählen Sie eine der Sprachen aus der Liste.',
    'teamGroupId.notOffered': () =>
      'Wählen Sie eines der Teams aus der Liste: Nur Teams, in denen Sie und diese App Mitglied sind, stehen zur Wahl.',
    'userType.unknown': () => 'Wählen Sie Gast oder Mitglied.',
    'policy.organisation': (p) =>
      p.recipient === 'ccEmail'
        ? `Die Kopie kann nicht an ${p.address} gehen: ${p.domain} gehört zu unserer Organisation, und Einladungen gehen nur an Adressen außerhalb.`
        : `${p.domain} gehört zu unserer Organisation: Kolleginnen und Kollegen haben bereits ein Konto und werden nicht als Gäste eingeladen.`,
    'policy.blocked': (p) =>
      p.recipient === 'ccEmail'
        ? `Die Kopie kann nicht an ${p.address} gehen: Die Domain ${p.domain} ist durch die Richtlinie der Organisation gesperrt.`
        : `Gäste von ${p.domain} können nicht eingeladen werden: Die Domain ist durch die Richtlinie der Organisation gesperrt.`,
    'policy.notAllowed': (p) =>
      p.recipient === 'ccEmail'
        ? `Die Kopie kann nicht an ${p.address} gehen: Erlaubt sind nur diese Domains: ${p.allowed}.`
        : `Gäste von ${p.domain} können nicht eingeladen werden: Erlaubt sind nur diese Domains: ${p.allowed}.`,
    'policy.unchecked': (p) =>
      `${p.recipient === 'ccEmail' ? 'Die Kopie-Adresse' : 'Die Adresse des Gasts'} ${p.address} ist keine einfache Adresse, gegen die sich die Richtlinie der Organisation prüfen lässt; es wurde nichts an sie gesendet.`,
    'limits.pending': (p) =>
      `Sie haben bereits ${p.max} Anfragen, die auf eine Entscheidung warten. Warten Sie diese ab oder ziehen Sie eine unter „meine Anfragen“ zurück.`,
    'limits.busy': () =>
      'Es werden gerade zu viele Ihrer Anfragen gleichzeitig gesendet. Es wurde nichts gespeichert: Bitte senden Sie diese Anfrage erneut.',
    'limits.daily': (p) =>
      `Sie haben in den letzten 24 Stunden ${p.max} Anfragen gestellt, das erlaubte Maximum. Bitte versuchen Sie es später erneut.`,
    'deny.reasonMissing': () => 'Begründen Sie die Ablehnung: Die anfragende Person sieht die Begründung.',
    'reason.tooLong': (p) => `Die Begründung darf höchstens ${p.max} Zeichen lang sein (sie hat ${p.length}).`,
    'approve.colleague': () => 'Diese Adresse gehört zu jemandem aus unserer Organisation: Lehnen Sie die Anfrage stattdessen ab.',
    'cancel.notRequester': () => 'Nur die anfragende Person kann eine Anfrage zurückziehen.',
    'cancel.notPending': (p) => `Diese Anfrage ist bereits ${p.status}.`,
    'retry.notApprover': () => 'Nur Genehmigende können eine Einladung erneut versuchen.',
    'retry.ownRequest': () => 'Sie können nicht über Ihre eigene Anfrage entscheiden.',
    'retry.memberApproversOnly': () => 'Nur die Genehmigenden für Mitglieder können diese Mitglieds-Einladung erneut versuchen.',
    'retry.notFailed': (p) => `Diese Anfrage ist ${p.status}, nicht fehlgeschlagen.`,
  },
  help: {
    title: 'Gastzugang',
    welcomeTitle: 'Willkommen beim Gastzugang',
    intro:
      'Ich helfe Ihnen, eine externe Person (Kundschaft, Partner, Freiberufler) als Gast in die Organisation zu holen. Sie füllen ein kurzes Formular aus, eine genehmigende Person entscheidet, und nach der Genehmigung schicke ich Ihnen den Einladungslink zum Weitergeben.',
    request: 'Einen Gast einladen lassen',
    myRequests: 'Sehen, wo Ihre Anfragen stehen',
    pending: 'Genehmigende: alles, was auf eine Entscheidung wartet',
    help: 'Diese Karte anzeigen',
    button: 'Gastzugang anfragen',
  },
  form: {
    title: 'Gastzugang anfragen',
    intro: 'Jede Anfrage wird geprüft. Nach der Genehmigung erhalten Sie hier den Einladungslink; der Gast öffnet ihn im Browser.',
    fixFields: 'Bitte korrigieren Sie die markierten Felder. Es wurde noch nichts gesendet.',
    emailLabel: 'E-Mail-Adresse des Gasts',
    emailPlaceholder: 'name@example.com',
    emailRequired: 'Geben Sie die E-Mail-Adresse des Gasts ein, etwa name@example.com (ohne Leerzeichen und Zeichen wie , ; < >)',
    nameLabel: 'Name des Gasts (optional, bis 256 Zeichen)',
    namePlaceholder: 'Alex Beispiel',
    justificationLabel: 'Warum braucht dieser Gast Zugriff? (bis 1000 Zeichen)',
    justificationPlaceholder: 'Projekt, Team und woran der Gast arbeiten wird',
    justificationRequired: 'Begründen Sie, warum dieser Gast Zugriff braucht',
    messageLabel: 'Persönliche Nachricht an den Gast (optional, bis 1000 Zeichen)',
    messagePlaceholder: 'Erscheint in der Einladungs-E-Mail, wenn Microsoft sie sendet',
    sendToggle: 'Microsoft soll die Einladung per E-Mail an den Gast senden',
    ccLabel: 'Einladungs-E-Mail zusätzlich senden an (optional, eine Adresse)',
    ccPlaceholder: 'kollegin@example.com',
    languageLabel: 'Sprache der Einladungs-E-Mail',
    emailNote:
      'Microsoft sendet die Einladungs-E-Mail nur, wenn das Kästchen oben angekreuzt ist. Eine persönliche Nachricht ist reiner Text und ersetzt den Standardtext dieser E-Mail (die Sprachwahl gilt dann nicht mehr).',
    languages: {
      'en-US': 'English',
      'de-DE': 'Deutsch',
      'fr-FR': 'Français',
      'es-ES': 'Español',
      'it-IT': 'Italiano',
      'nl-NL': 'Nederlands',
      'pt-BR': 'Português (Brasil)',
      'ja-JP': '日本語',
      'zh-CN': '中文 (简体)',
    },
    teamLabel: 'Gast zu einem Team hinzufügen (optional)',
    noTeam: 'Zu keinem Team hinzufügen',
    userTypeLabel: 'Einladen als',
    userTypeGuest: 'Gast: eingeschränkter Zugriff (der übliche Fall)',
    userTypeMember: 'Mitglied: derselbe Zugriff wie Beschäftigte (nur Genehmigende für Mitglieder können genehmigen)',
    submit: 'Anfrage senden',
  },
  facts: {
    guest: 'Gast',
    name: 'Name',
    requestedBy: 'Angefragt von',
    requested: 'Angefragt am',
    requestId: 'Anfrage-Nr.',
    cc: 'E-Mail-Kopie an',
    language: 'E-Mail-Sprache',
    team: 'Zum Team hinzufügen',
    userType: 'Einladen als',
  },
  userTypes: { Guest: 'Gast', Member: 'Mitglied' },
  approval: {
    title: 'Anfrage für Gastzugang',
    waiting: 'Wartet auf eine Entscheidung',
    approved: (by, when) => `Genehmigt von ${by} am ${when}.`,
    reason: (reason) => `Begründung: ${reason}`,
    justification: 'Begründung',
    messageForGuest: 'Nachricht an den Gast',
    reasonLabel: 'Begründung (für eine Ablehnung nötig; die anfragende Person sieht sie)',
    approve: 'Genehmigen',
    deny: 'Ablehnen',
    retry: 'Einladung erneut versuchen',
    alreadyDecidedBy: (name) => `Bereits entschieden von ${name}.`,
    alreadyInStatus: (status) => `Diese Anfrage ist bereits ${status}.`,
    ownRequest: 'Sie können nicht über Ihre eigene Anfrage entscheiden: Eine andere genehmigende Person übernimmt das.',
    existingMember: 'Diese Adresse gehört zu jemandem aus unserer Organisation: kein Gast, kann nicht eingeladen werden.',
    existingGuestAccepted:
      'Bereits Gast (angenommen): hat schon Zugriff. Eine Genehmigung teilt das der anfragenden Person mit; es wird keine neue Einladung gesendet.',
    existingGuestPending: 'Bereits Gast (noch nicht angenommen): Eine Genehmigung sendet einen neuen Einladungslink an dasselbe Gastkonto.',
    memberWarning: '⚠ MITGLIEDS-Einladung: Diese Person erhält denselben Zugriff wie Beschäftigte.',
    memberApproversOnly: 'Nur die Genehmigenden für Mitglieder können über diese Mitglieds-Einladung entscheiden.',
  },
  status: {
    names: {
      Pending: 'offen',
      Approved: 'genehmigt',
      Denied: 'abgelehnt',
      Invited: 'eingeladen',
      Failed: 'fehlgeschlagen',
      Cancelled: 'zurückgezogen',
      Expired: 'abgelaufen',
    },
    pending: 'Wartet auf Genehmigung',
    approved: (by, when) => `Genehmigt von ${by} am ${when}: Die Einladung wird erstellt…`,
    invited: (by, when) => `Genehmigt von ${by} am ${when}. Einladung erstellt.`,
    denied: (by, when) => `Abgelehnt von ${by} am ${when}`,
    failed: (by, when, why) => `Genehmigt von ${by} am ${when}, aber die Einladung ist fehlgeschlagen: ${why}`,
    cancelled: 'Von der anfragenden Person zurückgezogen',
    expired: 'Ohne Entscheidung abgelaufen',
    titles: {
      Pending: 'Anfrage gesendet',
      Approved: 'Anfrage genehmigt',
      Invited: 'Ihr Gast ist eingeladen',
      Denied: 'Anfrage abgelehnt',
      Failed: 'Einladung fehlgeschlagen',
      Cancelled: 'Anfrage zurückgezogen',
      Expired: 'Anfrage abgelaufen',
    },
    detailPending: 'Die Genehmigenden wurden gefragt. Ich melde mich hier, sobald jemand entscheidet.',
    detailInvitedEmailed: 'Microsoft hat die Einladung per E-Mail an den Gast gesendet.',
    detailAlreadyGuest: (email) =>
      `${email} ist bereits Gast unserer Organisation und hat Zugriff: Die Anmeldung erfolgt unter https://myapps.microsoft.com mit dieser Adresse. Eine neue Einladung war nicht nötig.`,
    detailFailed: (email) => `Die Einladung für ${email} konnte nicht erstellt werden. Eine genehmigende Person kann es erneut versuchen.`,
    detailExpired: 'Niemand hat rechtzeitig entschieden. Stellen Sie eine neue Anfrage, wenn der Gast noch Zugriff braucht.',
    linkIntro: (guest) => `Schicken Sie diesen Link an ${guest}; nur der Gast sollte ihn öffnen: Er meldet ihn als Ihren Gast an.`,
    linkInMessage: (guest) => `Den Einladungslink für ${guest} finden Sie in der Nachricht unten.`,
    cancel: 'Anfrage zurückziehen',
    summaries: {
      Pending: 'Gastanfrage wartet auf Genehmigung',
      Approved: 'Gastanfrage genehmigt',
      Invited: 'Ihr Gast ist eingeladen: hier ist der Link',
      Denied: 'Ihre Gastanfrage wurde abgelehnt',
      Failed: 'Eine Gasteinladung ist fehlgeschlagen',
      Cancelled: 'Gastanfrage zurückgezogen',
      Expired: 'Gastanfrage abgelaufen',
    },
  },
  teams: {
    added: (guest, team) => `${guest} wurde zum Team ${team} hinzugefügt.`,
    alreadyMember: (guest, team) => `${guest} ist bereits Mitglied des Teams ${team}.`,
    failed: (guest, team, why) => `${guest} konnte nicht zum Team ${team} hinzugefügt werden: ${why}`,
    reasons: {
      groupNotFound:
        'Die Gruppe des Teams existiert nicht mehr (das Team wurde vielleicht gelöscht). Fügen Sie den Gast bitte selbst in Teams hinzu.',
      forbidden:
        'Diese App darf keine Teammitglieder hinzufügen (ein Administrator muss ihr GroupMember.ReadWrite.All erteilen). Fügen Sie den Gast bitte selbst in Teams hinzu.',
      refused: 'Microsoft 365 hat es abgelehnt. Fügen Sie den Gast bitte selbst in Teams hinzu.',
    },
    formSentPrivately:
      'Ich habe Ihnen das Formular für die Gastanfrage in unseren persönlichen Chat geschickt, mit diesem Team ausgewählt.',
  },
  list: {
    mineTitle: 'Ihre Gastanfragen',
    mineEmpty: 'Sie haben noch keine Gäste angefragt. Schreiben Sie „request“, um zu beginnen.',
    noMore: 'Keine weiteren Anfragen.',
    more: 'Mehr anzeigen',
    line: (id, when) => `${id} · angefragt am ${when}`,
    pendingMore: 'Es warten noch weitere Anfragen.',
    pendingShownBelow: 'Die nächsten Anfragen folgen unten.',
  },
  messages: {
    notOurTenant: 'Dieser Bot dient nur der Organisation, die ihn installiert hat.',
    noIdentity: 'Ich konnte nicht erkennen, wer Sie sind: Bitte nutzen Sie mich in Microsoft Teams, angemeldet bei Ihrer Organisation.',
    notUnderstood: 'Das habe ich nicht verstanden. Das kann ich:',
    somethingWrong: 'Bei mir ist etwas schiefgegangen. Bitte versuchen Sie es in einer Minute erneut.',
    somethingWrongNothingChanged:
      'Bei mir ist etwas schiefgegangen; es wurde nichts geändert. Bitte versuchen Sie es in einer Minute erneut.',
    notInTimeNothingChanged:
      'Es wurde nichts geändert: Der Dienst hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es gleich noch einmal (falls Ihr Klick doch angekommen ist, sehen Sie es dann; nichts wird doppelt ausgeführt).',
    commandNotInTime: 'Der Dienst hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es gleich noch einmal.',
    cardOutdated: 'Diese Karte ist veraltet: Schreiben Sie „help“, um neu zu beginnen.',
    actionUnsupported: 'Diese Kartenaktion wird nicht unterstützt.',
    invalidRequestId: 'Diese Karte nennt keine gültige Anfrage.',
    noSuchRequest: (id) => `Es gibt keine Anfrage ${id}.`,
    notApprover: 'Nur Genehmigende können über Gastanfragen entscheiden.',
    personalChatOnly:
      'Gastanfragen stellen Sie in Ihrem persönlichen Chat mit mir, damit die Angaben und der Einladungslink privat bleiben. Schreiben Sie dort „request“.',
    sentPrivately: 'Ich habe Ihnen die Liste in unseren privaten Chat geschickt.',
    privateChatOnly: 'Das zeige ich nur in unserem privaten Chat: Öffnen Sie Ihren Chat mit mir und sehen Sie dort nach.',
    teamsOnly: 'Dieser Bot funktioniert nur in Microsoft Teams. Es wurde nichts geändert.',
    pendingForApprovers: 'Der Befehl „pending“ ist für Genehmigende. Schreiben Sie „my requests“, um Ihre eigenen Anfragen zu sehen.',
    nothingPending: 'Es wartet nichts auf eine Entscheidung.',
    pendingCount: (count, more) =>
      `${count} ${count === 1 ? 'Anfrage wartet' : 'Anfragen warten'} auf eine Entscheidung, die älteste zuerst.${more ? ' Es warten noch mehr: Drücken Sie am Ende „Mehr anzeigen“.' : ''}`,
    tooLarge:
      'Diese Antwort war zu groß, um sie in Teams anzuzeigen. Bitte versuchen Sie es erneut oder wenden Sie sich an Ihre Administration.',
    reminder: (requester, email, id, when) =>
      `Erinnerung: ${requester} hat am ${when} gebeten, ${email} einzuladen (Anfrage ${id}), und die Anfrage wartet noch auf eine Entscheidung. Genehmigen oder ablehnen können Sie auf der Karte oben.`,
    failedForApprover: (email, id, why) =>
      `Die Einladung für ${email} (Anfrage ${id}) ist fehlgeschlagen: ${why} Sie können es über die Genehmigungskarte erneut versuchen.`,
    approversUnreachable: (id) =>
      `Keine der genehmigenden Personen ist gerade in Teams erreichbar, deshalb hat Ihre Anfrage ${id} noch niemand gesehen. Ihre Anfrage bleibt offen, und der Bot versucht es weiter. Bitten Sie Ihre Administration, die Guest-Access-App für die genehmigenden Personen zu installieren (oder dem Bot die Installation zu erlauben) und zu prüfen, dass deren Konten aktiv sind.`,
  },
};
