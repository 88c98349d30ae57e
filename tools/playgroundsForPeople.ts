/**
 * One Agents Playground per person, behind one connector router (tools/connectorRouter.ts): Rita's
 * Playground shows Rita's chats, Anna's shows Anna's, and the bot reaches each of them through the
 * single serviceUrl it sees, as it reaches every user of a region in Teams. Used by `npm run dev`
 * and the end-to-end test.
 */
import { join } from 'node:path';
import { startConnectorRouter, type ConnectorRouter } from './connectorRouter';
import { startPlayground, type RunningPlayground } from './playground';
import { personalChatIdOf, writePlaygroundConfig } from './playgroundConfig';
import type { TeamsPerson } from './teamsActivities';

export interface PlaygroundSeat {
  /** Short name: 'rita', 'anna', 'ben'. */
  readonly key: string;
  readonly person: TeamsPerson;
  /** The Playground's port; 0 = a free one. */
  readonly port: number;
}

export interface PeoplePlaygrounds {
  readonly router: ConnectorRouter;
  /** In the order of `seats`; the first is the one that gets what the router cannot tell apart. */
  readonly playgrounds: readonly { readonly seat: PlaygroundSeat; readonly playground: RunningPlayground }[];
  of(key: string): RunningPlayground;
  stop(): Promise<void>;
}

export async function startPlaygroundsFor(options: {
  /** The bot's /api/messages. */
  readonly botEndpoint: string;
  readonly tenantId: string;
  /** Who gets a Playground; everyone in it is a user of every Playground. */
  readonly seats: readonly PlaygroundSeat[];
  /** Where each person's config and log go (<folder>/<key>/). */
  readonly folder: string;
  /** The router's port; 0 or absent = a free one. */
  readonly routerPort?: number;
  readonly onOutput?: (key: string, line: string) => void;
}): Promise<PeoplePlaygrounds> {
  const people = options.seats.map((s) => s.person);
  const router = await startConnectorRouter({
    botEndpoint: options.botEndpoint,
    port: options.routerPort ?? 0,
    people: options.seats.map((s) => ({ key: s.key, aadObjectId: s.person.aadObjectId, personalChatId: personalChatIdOf(s.person) })),
  });
  const started: { seat: PlaygroundSeat; playground: RunningPlayground }[] = [];
  const stop = async () => {
    await Promise.all(started.map((s) => s.playground.stop()));
    await router.stop();
  };
  try {
    // One after another: each Playground's start takes a core for a few seconds.
    for (const seat of options.seats) {
      const folder = join(options.folder, seat.key);
      const configFile = writePlaygroundConfig({ tenantId: options.tenantId, currentUser: seat.person, users: people, folder });
      const playground = await startPlayground({
        botEndpoint: router.botEndpointFor(seat.key),
        serviceUrl: router.serviceUrl,
        port: seat.port,
        configFile,
        cwd: folder,
        logFile: join(folder, 'playground.log'),
        onOutput: (line) => options.onOutput?.(seat.key, line),
      });
      started.push({ seat, playground });
      router.attach(seat.key, playground.url);
    }
    for (const { seat, playground } of started) await announceInstallation(playground, personalChatIdOf(seat.person));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    router,
    playgrounds: started,
    of: (key) => {
      const found = started.find((s) => s.seat.key === key);
      if (!found) throw new Error(`no Playground for ${key}`);
      return found.playground;
    },
    stop,
  };
}

/**
 * Has a Playground tell the bot that the app is installed for its user (personal scope), as Teams
 * does when an admin's setup policy or the bot itself installs it: everyone in the sandbox has the
 * app from the start, whether or not their page was opened yet. The activity is the Playground's own
 * ("Mock an Activity" → Install), so its shape is the Playground's, not ours.
 */
async function announceInstallation(playground: RunningPlayground, personalChatId: string): Promise<void> {
  const query = new URLSearchParams({ conversationId: personalChatId, type: 'install' });
  const template = await fetch(`${playground.url}/_internal/v1/customActivities/template?${query.toString()}`);
  if (!template.ok)
    throw new Error(
      `the Playground at ${playground.url} gave no installation activity (HTTP ${template.status}): ${await template.text()}`,
    );
  const sent = await fetch(`${playground.url}/_internal/v1/customActivities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: await template.text(),
  });
  if (!sent.ok) throw new Error(`the Playground at ${playground.url} did not send the installation activity (HTTP ${sent.status})`);
}
