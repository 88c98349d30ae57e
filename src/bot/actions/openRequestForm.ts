import { requestFormCard } from '../../cards/views/requestFormView';
import { formTeams } from '../formTeams';
import type { ActionHandler } from '../handler';

export const openRequestForm: ActionHandler = async ({ wf, t, turn }) => ({ card: requestFormCard(t, {}, {}, '', turn.locale, await formTeams(wf, turn)) });
