/**
 * The HTTP surface: POST /api/messages (Bot Framework), GET /healthz (alive), GET /readyz (storage
 * reachable). Bodies are size-limited and parsed before botbuilder sees them, so malformed input is
 * a 4xx and never a 5xx.
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
}

export function createHttpServer(options: HttpServerOptions): restify.Server {
  const server = restify.createServer({ name: 'guest-access-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false, rejectUnknown: true }));

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });

  server.get('/readyz', async (_req, res) => {
    const ready = options.ready ? await options.ready().catch(() => false) : true;
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'storage unreachable' });
  });

  server.post('/api/messages', async (req, res) => {
    const shape = checkActivityShape(req.body);
    if (!shape.ok) {
      res.send(400, { error: { code: 'BadRequest', message: shape.problem } });
      return;
    }
    try {
      await options.adapter.process(req, res, options.logic);
    } catch (err) {
      options.log.error({ err: err instanceof Error ? err.message : String(err) }, 'activity processing failed');
      if (!res.headersSent) res.send(500, { error: { code: 'InternalError', message: 'The bot could not process this activity' } });
    }
  });

  server.on('restifyError', (req, res, err, callback) => {
    // restify's own errors (bad JSON 400, too large 413, wrong content type 415) are answered as
    // they are, without echoing request content back.
    options.log.warn({ status: (err as { statusCode?: number }).statusCode, path: req.path() }, 'request refused');
    return callback();
  });
  return server;
}
