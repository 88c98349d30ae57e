/**
 * The bot learns which teams it is in from what Teams announces: installed (the bot among the
 * members added), removed (the bot among the members removed, or the team deleted), renamed.
 */
import type { Workflow } from './workflow';

export type TeamEvent =
  | { readonly kind: 'installed'; readonly teamId: string; readonly groupId: string; readonly name: string }
  | { readonly kind: 'removed'; readonly teamId: string }
  | { readonly kind: 'renamed'; readonly teamId: string; readonly name: string };

export async function recordTeamEvent(wf: Workflow, event: TeamEvent): Promise<void> {
  if (!wf.teams) return;
  switch (event.kind) {
    case 'installed':
      await wf.teams.register({
        teamId: event.teamId,
        groupId: event.groupId,
        name: event.name,
        registeredAt: wf.clock.now().toISOString(),
      });
      break;
    case 'removed':
      await wf.teams.unregister(event.teamId);
      break;
    case 'renamed':
      await wf.teams.rename(event.teamId, event.name);
      break;
  }
  wf.log.info({ teamId: event.teamId, kind: event.kind }, 'team registry updated');
}
