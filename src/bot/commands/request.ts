import { requestFormCard } from '../../cards/views/requestFormView';
import type { CommandHandler } from '../handler';

export const requestCommand: CommandHandler = async ({ t, turn }) => ({ cards: [requestFormCard(t, {}, {}, '', turn.locale)] });
