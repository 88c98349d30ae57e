/** The teams a request form offers in a turn: the requester's teams, the current team preselected. */
import type { TeamChoices } from '../cards/views/requestFormView';
import { errorText } from '../domain/usecases/audit';
import { teamsForRequester } from '../domain/usecases/teamChoices';
import type { Workflow } from '../domain/usecases/workflow';
import type { TurnInfo } from './turnInfo';

export async function formTeams(wf: Workflow, turn: TurnInfo): Promise<TeamChoices> {
  try {
    const offered = await teamsForRequester(wf, turn.user.id);
    return { offered, preselected: await groupOfCurrentTeam(wf, turn) };
  } catch (err) {
    // The team registry is not readable: the form still works, without the team choice.
    wf.log.warn({ err: errorText(err) }, 'teams not listed; the form offers none');
    return { offered: [] };
  }
}

/** Teams names the group in most team activities; otherwise the registry knows it from the install. */
async function groupOfCurrentTeam(wf: Workflow, turn: TurnInfo): Promise<string | undefined> {
  if (!turn.team) return undefined;
  if (turn.team.groupId) return turn.team.groupId;
  const teamId = turn.team.teamId;
  return (await wf.teams?.list())?.find((team) => team.teamId === teamId)?.groupId;
}
