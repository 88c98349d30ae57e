/**
 * Deadlines on Bot Connector calls. botbuilder builds its ConnectorClient inside the CloudAdapter;
 * the policy below goes into it through the authentication's `connectorClientOptions` and gives
 * every HTTP request to Teams (send, reply, update, create conversation) a deadline per attempt, and
 * the cancellation in scope (a notifier call's deadline, an invoke's budget; see deadlines.ts), so
 * a call that is given up on is also aborted on the wire and cannot land later.
 */
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { withScopeSignal } from '../system/deadlines';

export type ConnectorClientOptions = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[4]>;
type RequestPolicyFactory = Extract<NonNullable<ConnectorClientOptions['requestPolicyFactories']>, readonly unknown[]>[number];

/** A request policy factory for `ConnectorClientOptions.requestPolicyFactories`. */
export function connectorDeadlinePolicy(attemptTimeoutMs: number): RequestPolicyFactory {
  return {
    create: (next) => ({
      sendRequest(request) {
        if (!(request.timeout > 0) || request.timeout > attemptTimeoutMs) request.timeout = attemptTimeoutMs;
        const own = request.abortSignal as AbortSignal | undefined;
        const signal = withScopeSignal(own);
        if (signal) request.abortSignal = signal;
        return next.sendRequest(request);
      },
    }),
  };
}
