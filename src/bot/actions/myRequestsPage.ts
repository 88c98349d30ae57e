import { requestListCard } from '../../cards/views/requestListView';
import { myRequests } from '../../domain/usecases/queries';
import type { ActionHandler } from '../handler';
import { stringFrom } from '../handler';

/** "Show more" on the my-requests card: the cursor is opaque and only ever reads the caller's own list. */
export const myRequestsPage: ActionHandler = async ({ wf, turn, t, data }) => {
  const cursor = stringFrom(data, 'cursor');
  const page = await myRequests(wf, turn.user.id, cursor && cursor.length <= 1024 ? cursor : undefined);
  return { card: requestListCard(t, t.list.mineTitle, t.list.noMore, page, 'myRequests') };
};
