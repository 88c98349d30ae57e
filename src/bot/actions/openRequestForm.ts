import { requestFormCard } from '../../cards/views/requestFormView';
import type { ActionHandler } from '../handler';

export const openRequestForm: ActionHandler = async ({ t, turn }) => ({ card: requestFormCard(t, {}, {}, '', turn.locale) });
