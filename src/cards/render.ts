import type { CardDataMap } from './cardData';
import { cardTemplate, type CardName } from './templates';

/** An expanded Adaptive Card, ready to be an attachment's content or an invoke response value. */
export type AdaptiveCard = Record<string, unknown>;

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export function renderCard<K extends CardName>(name: K, data: CardDataMap[K]): AdaptiveCard {
  return cardTemplate(name).expand({ $root: data }) as AdaptiveCard;
}
