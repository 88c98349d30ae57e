/** The request form as a turn shows it: the requester's teams offered, the current team preselected. */
import type { AdaptiveCard } from '../cards/render';
import { requestFormCard, type TeamChoices } from '../cards/views/requestFormView';
import type { RegisteredTeam } from '../domain/teams';
import { errorText } from '../domain/usecases/audit';
import { prepareSubmit } from '../domain/usecases/request/submitRequest';
import { teamsForRequester } from '../domain/usecases/request/teamChoices';
import type { FieldErrors, RawRequestInput } from '../domain/validation/requestInput';
import type { CommandContext } from './handler';
import type { TurnInfo } from './turnInfo';

/**
 * The form, empty or with what was entered, its field problems and a problem with the whole request.
 * A new form gets a new one-time token; one shown again after a refusal keeps the token it was sent with.
 */
export async function requestForm(
  { wf, t, turn, background }: CommandContext,
  filled: { entered?: RawRequestInput; errors?: FieldErrors; formProblem?: string; submissionId?: string } = {},
): Promise<AdaptiveCard> {
  // A new form: its submit's reads are made while the person fills it in (submitRequest.ts).
  if (!filled.submissionId) background.run('prepareSubmit', () => prepareSubmit(wf, turn.user.id));
  const submissionId = filled.submissionId ?? wf.ids.newToken();
  return requestFormCard(
    t,
    filled.entered,
    filled.errors,
    filled.formProblem,
    turn.locale,
    await formTeams(wf, turn),
    submissionId,
    wf.memberApprovers !== undefined,
  );
}

async function formTeams(wf: CommandContext['wf'], turn: TurnInfo): Promise<TeamChoices> {
  try {
    // One read of the registry serves both the offer and the current team's group.
    const registered = (await wf.teams?.list()) ?? [];
    const offered = await teamsForRequester(wf, turn.user.id, registered);
    return { offered, preselected: groupOfCurrentTeam(turn, registered) };
  } catch (err) {
    // The team registry is not readable: the form still works, without the team choice.
    wf.log.warn({ err: errorText(err) }, 'teams not listed; the form offers none');
    return { offered: [] };
  }
}

/** Teams names the group in most team activities; otherwise the registry knows it from the install. */
function groupOfCurrentTeam(turn: TurnInfo, registered: readonly RegisteredTeam[]): string | undefined {
  if (!turn.team) return undefined;
  if (turn.team.groupId) return turn.team.groupId;
  const teamId = turn.team.teamId;
  return registered.find((team) => team.teamId === teamId)?.groupId;
}
