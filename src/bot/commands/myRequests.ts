import { requestListCard } from '../../cards/views/requestListView';
import { myRequests } from '../../domain/usecases/queries';
import type { CommandHandler } from '../handler';

export const myRequestsCommand: CommandHandler = async ({ wf, turn }) => {
  const page = await myRequests(wf, turn.user.id);
  return { cards: [requestListCard('Your guest requests', 'You have not requested any guests yet. Type "request" to start.', page, 'myRequests')] };
};
