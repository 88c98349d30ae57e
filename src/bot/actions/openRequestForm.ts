import { requestFormCard } from '../../cards/views/requestFormView';
import type { ActionHandler } from '../handler';

export const openRequestForm: ActionHandler = async () => ({ card: requestFormCard() });
