/**
 * Which teams a requester may have their guest added to: the teams the bot is installed in whose
 * group (nested groups included) has the requester as a member. Offered on the form and checked
 * again at submit, so a forged group id never reaches a request.
 */
import { sameId } from '../../lifecycle/authorization';
import type { TeamRef } from '../../guestRequest';
import type { RegisteredTeam } from '../../teams';
import { errorText } from '../audit';
import type { Workflow } from '../workflow';

/** `registered`: the registry's teams, if the caller has just read them. */
export async function teamsForRequester(
  wf: Workflow,
  requesterId: string,
  registered?: readonly RegisteredTeam[],
): Promise<readonly TeamRef[]> {
  if (!wf.teams || !wf.teamGroups) return [];
  const groups = wf.teamGroups;
  const teams = registered ?? (await wf.teams.list());
  const checked = await Promise.all(
    teams.map(async (team) => {
      try {
        const members = await groups.memberIds(team.groupId);
        return [...members].some((id) => sameId(id, requesterId)) ? [{ groupId: team.groupId, name: team.name }] : [];
      } catch (err) {
        // Not readable now: not offered (fail closed); the next form asks again.
        wf.log.warn({ groupId: team.groupId, err: errorText(err) }, 'team membership not readable; team not offered');
        return [];
      }
    }),
  );
  const seen = new Set<string>();
  return checked
    .flat()
    .filter((team) => !seen.has(team.groupId.toLowerCase()) && seen.add(team.groupId.toLowerCase()))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The offered team with this group id, if any (ids compared case-insensitively). */
export function findTeam(teams: readonly TeamRef[], groupId: string | undefined): TeamRef | undefined {
  return groupId ? teams.find((team) => sameId(team.groupId, groupId)) : undefined;
}
