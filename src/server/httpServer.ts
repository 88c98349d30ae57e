/**
 * The HTTP surface: POST /api/messages (Bot Framework; a HEAD/GET probe there gets a quiet 405),
 * GET /healthz (alive), GET /readyz (storage reachable). Bodies are size-limited and parsed before
 * botbuilder sees them, so malformed input is a 4xx and never a 5xx. Only JSON is read: other content types are refused before the body is
 * read (restify's multipart parser would otherwise write uploads to the temp folder, unauthenticated
 * and beyond the size limit).
 */
import type { CloudAdapter, TurnContext } from 'botbuilder';
import * as restify from 'restify';
import type { Logger } from '../domain/ports';
import { checkActivityShape } from './activityShape';

/** Teams activities are small; card submissions are bounded by the form's limits. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface HttpServerOptions {
  readonly adapter: CloudAdapter;
  readonly logic: (context: TurnContext) => Promise<void>;
  readonly log: Logger;
  readonly ready?: () => Promise<boolean>;
  /** How long authentication may take before the activity is refused with 401 (default 10 s). */
  readonly authTimeoutMs?: number;
  /** Told when an activity starts being processed; what it returns is called once it is answered. */
  readonly turnStarted?: () => () => void;
}

const isJsonType = (type: string) => type === 'application/json' || /^application\/[^\s;]+\+json$/.test(type);

export function createHttpServer(options: HttpServerOptions): restify.Server {
  const server = restify.createServer({ name: 'guest-access-bot', handleUncaughtExceptions: false });
  server.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || isJsonType(req.getContentType().toLowerCase())) return next();
    res.send(415, { error: { code: 'UnsupportedMediaType', message: 'Send the activity as application/json' } });
    return next(false);
  });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false, rejectUnknown: true }));

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });

  server.get('/readyz', async (_req, res) => {
    const ready = options.ready ? await options.ready().catch(() => false) : true;
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'storage unreachable' });
  });

  // A reachability probe (the Agents Playground sends HEAD /api/messages each time its page opens;
  // monitors may GET it): answered 405 with the one method that is allowed, as HTTP says, and not
  // logged: nothing was attempted. Activities are only ever taken by POST, authenticated as before.
  const probe: restify.RequestHandler = (_req, res, next) => {
    res.header('Allow', 'POST');
    res.send(405, { error: { code: 'MethodNotAllowed', message: 'Activities are POSTed here' } });
    return next();
  };
  server.head('/api/messages', probe);
  server.get('/api/messages', probe);

  server.post('/api/messages', async (req, res) => {
    const shape = checkActivityShape(req.body);
    if (!shape.ok) {
      res.send(400, { error: { code: 'BadRequest', message: shape.problem } });
      return;
    }
    // botbuilder answers 500 (with the error text) when token validation fails with anything but its
    // own AuthenticationError: a signature that does not verify, OpenID metadata it cannot fetch. The
    // activity was never authenticated then, so it is refused with 401, and the turn never runs.
    const turn = { phase: 'authenticating' as 'authenticating' | 'turn' | 'refused' };
    let turnEnded = options.turnStarted?.();
    const endTurn = () => {
      turnEnded?.();
      turnEnded = undefined;
    };
    const refuse = (why: string) => {
      turn.phase = 'refused';
      // Answered: a refusal after the time-out must not wait for a key download that may never end.
      endTurn();
      options.log.warn({ why }, 'activity refused: not authenticated');
      res.send(401, { error: { code: 'Unauthorized', message: 'The request could not be authenticated' } });
    };
    const timer = setTimeout(() => turn.phase === 'authenticating' && refuse('authentication timed out'), options.authTimeoutMs ?? 10_000);
    const answer = { status: 200, body: undefined as unknown };
    const deferred = {
      status: (code: number) => ((answer.status = code), deferred),
      header: () => deferred,
      send: (body: unknown) => ((answer.body = body), deferred),
      end: () => deferred,
    };
    try {
      await options.adapter.process(req, deferred as unknown as restify.Response, async (context) => {
        if (turn.phase !== 'authenticating') return;
        turn.phase = 'turn';
        await options.logic(context);
      });
      if (turn.phase === 'refused') return;
      if (turn.phase === 'authenticating' && answer.status >= 500)
        return refuse(`authentication failed: ${String(answer.body).slice(0, 200)}`);
      res.send(answer.status, answer.body);
    } catch (err) {
      options.log.error({ err: err instanceof Error ? err.message : String(err) }, 'activity processing failed');
      if (!res.headersSent) res.send(500, { error: { code: 'InternalError', message: 'The bot could not process this activity' } });
    } finally {
      clearTimeout(timer);
      endTurn();
    }
  });

  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error, callback: () => void) => {
    // restify's own errors (bad JSON 400, too large 413, wrong content type 415) are answered as
    // they are, without echoing request content back.
    options.log.warn({ status: (err as { statusCode?: number }).statusCode, path: req.path() }, 'request refused');
    return callback();
  });
  return server;
}
