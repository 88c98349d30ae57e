/**
 * Writes a Playground config (.m365agentsplayground.yml) in which `currentUser` is the person whose
 * view it is: `npm run dev` and the end-to-end test write one per person (Rita, Anna, Ben), each
 * with that person's own personal chat id, so the connector router (tools/connectorRouter.ts) can
 * tell their chats apart.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PlaygroundPerson {
  readonly aadObjectId: string;
  readonly name: string;
}

/** The Playground wants at least five users besides the current one; these fill the list up. */
const FILLERS: PlaygroundPerson[] = [
  { aadObjectId: '55555555-5555-4555-8555-555555555555', name: 'Carla Colleague' },
  { aadObjectId: '66666666-6666-4666-8666-666666666666', name: 'Dan Developer' },
  { aadObjectId: '77777777-7777-4777-8777-777777777777', name: 'Eve Engineer' },
  { aadObjectId: '88888888-8888-4888-8888-888888888888', name: 'Finn Finance' },
  { aadObjectId: '99999999-9999-4999-8999-999999999999', name: 'Gail Graphics' },
];

function userYaml(person: PlaygroundPerson, indent: string, first: string): string {
  const [given = person.name, ...rest] = person.name.split(' ');
  const mail = `${given.toLowerCase()}@contoso.example`;
  // id == aadObjectId: the Playground's connector only opens chats with users it knows by id, and
  // the bot opens approver chats by object id.
  return [
    `${first}id: ${person.aadObjectId}`,
    `${indent}name: ${person.name}`,
    `${indent}userPrincipleName: ${mail}`,
    `${indent}aadObjectId: ${person.aadObjectId}`,
    `${indent}givenName: ${given}`,
    `${indent}surname: ${rest.join(' ') || given}`,
    `${indent}email: ${mail}`,
  ].join('\n');
}

/** The personal chat of `person` in their own Playground (the same id tools/teamsActivities.ts uses). */
export function personalChatIdOf(person: PlaygroundPerson): string {
  return `a:personal-${person.aadObjectId}`;
}

/**
 * Writes the config of `currentUser`'s Playground into `folder` (a new temporary folder when
 * absent) and returns the file's path; `users` are everyone else (the current user is left out).
 */
export function writePlaygroundConfig(options: {
  tenantId: string;
  currentUser: PlaygroundPerson;
  users: readonly PlaygroundPerson[];
  folder?: string;
  fileName?: string;
}): string {
  const users = options.users.filter((u) => u.aadObjectId !== options.currentUser.aadObjectId);
  for (const filler of FILLERS) if (users.length < 5) users.push(filler);
  const yaml = [
    'version: "0.1.1"',
    `tenantId: ${options.tenantId}`,
    'bot:',
    '  id: 00000000-0000-4000-8000-00000000b0b0',
    '  name: Guest Access',
    'currentUser:',
    userYaml(options.currentUser, '  ', '  '),
    'users:',
    ...users.map((u) => userYaml(u, '    ', '  - ')),
    'personalChat:',
    `  id: ${personalChatIdOf(options.currentUser)}`,
    'groupChat:',
    '  id: 19:group-chat@thread.v2',
    '  name: Group Chat',
    'team:',
    '  id: 19:team@thread.tacv2',
    '  name: Contoso',
    '  aadGroupId: 00000000-0000-4000-8000-0000000000ee',
    '  channels:',
    '    - id: 19:general@thread.tacv2',
    '      name: General',
    '',
  ].join('\n');
  const dir = options.folder ?? mkdtempSync(join(tmpdir(), 'playground-'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, options.fileName ?? '.m365agentsplayground.yml');
  writeFileSync(file, yaml);
  return file;
}
