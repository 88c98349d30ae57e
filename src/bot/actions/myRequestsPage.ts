import { requestListCard } from '../../cards/views/requestListView';
import { myRequests } from '../../domain/usecases/queries';
import type { ActionHandler } from '../handler';
import { stringFrom } from '../handler';

/** "Show more" on the my-requests card: the cursor is opaque and only ever reads the caller's own list. */
export const myRequestsPage: ActionHandler = async ({ wf, turn, t, data }) => {
  const page = await myRequests(wf, turn.user.id, stringFrom(data, 'cursor'));
  return { card: requestListCard(t, t.list.noMore, page) };
};
