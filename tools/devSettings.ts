/**
 * The local sandbox's settings (`npm run dev`): who the Playground users are and where each part
 * listens. Kept in one place so the dev script, the Playground config and tests agree.
 */
import { ANNA, BEN, RITA } from './teamsActivities';

export const DEV = {
  botPort: 3978,
  graphPort: 5001,
  azuritePort: 10002,
  /** The one serviceUrl of every Playground (tools/connectorRouter.ts). */
  connectorRouterPort: 56149,
  /** Who gets a Playground of their own in `npm run dev`, and on which port. */
  playgrounds: [
    { key: 'rita', person: RITA, port: 56150 },
    { key: 'anna', person: ANNA, port: 56151 },
    { key: 'ben', person: BEN, port: 56152 },
  ],
  tenantId: '00000000-0000-4000-8000-00000000aaaa',
  /** The approvers of the sandbox (APPROVER_IDS; users of every Playground). */
  approvers: [
    { key: 'anna', ...ANNA },
    { key: 'ben', ...BEN },
  ],
  dataFolder: '.data/azurite',
  /** Each Playground's config and log: .data/playground/<key>/. */
  playgroundFolder: '.data/playground',
} as const;

/** Environment for the bot in the sandbox; anything already set (or in .env) wins. */
export function devEnvironment(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return {
    PORT: String(DEV.botPort),
    TENANT_ID: DEV.tenantId,
    APPROVER_IDS: DEV.approvers.map((a) => a.aadObjectId).join(','),
    GRAPH_BASE_URL: `http://127.0.0.1:${DEV.graphPort}/v1.0`,
    STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    SWEEP_INTERVAL_SECONDS: '15',
    ...env,
  };
}
