import { requestListCard } from '../../cards/views/requestListView';
import { myRequests } from '../../domain/usecases/queries';
import type { CommandHandler } from '../handler';

export const myRequestsCommand: CommandHandler = async ({ wf, turn, t }) => {
  const page = await myRequests(wf, turn.user.id);
  return { cards: [requestListCard(t, t.list.mineEmpty, page)] };
};
