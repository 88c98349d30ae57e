import type { Strings } from '../i18n/strings';
import { renderCard, type AdaptiveCard } from '../render';

export function helpCard(t: Strings, welcome = false): AdaptiveCard {
  return renderCard('help', { t, title: welcome ? t.help.welcomeTitle : t.help.title });
}
