import type { Strings } from '../i18n/strings';
import { renderCard, type AdaptiveCard } from '../render';

/** What the bot can do for this reader: `pending` is listed only to approvers. */
export function helpCard(t: Strings, options: { readonly welcome?: boolean; readonly isApprover: boolean }): AdaptiveCard {
  return renderCard('help', { t, title: options.welcome ? t.help.welcomeTitle : t.help.title, isApprover: options.isApprover });
}
