import { requestFormCard } from '../../cards/views/requestFormView';
import type { ActionHandler } from '../handler';

export const openRequestForm: ActionHandler = async ({ t }) => ({ card: requestFormCard(t) });
