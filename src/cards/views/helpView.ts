import { renderCard, type AdaptiveCard } from '../render';
import { plainText } from '../plainText';

export function helpCard(title = 'Guest Access', notice = ''): AdaptiveCard {
  return renderCard('help', { title, notice: plainText(notice) });
}
