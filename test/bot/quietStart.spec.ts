/**
 * A quiet start (issue 15, item 9): the Agents Playground's reachability probe (HEAD /api/messages
 * when its page opens) is answered 405 Allow: POST without a warning or a turn, while activities
 * are still taken by POST only and checked as before; `npm run dev` prints readable lines, production JSON.
 */
import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { createLogger, prettyDestination, prettyLine } from '../../src/logging';
import { BotHarness, REQUESTER } from '../support/botHarness';
import { messageActivity } from '../support/teamsActivities';

describe('a quiet start', () => {
  describe('the Playground probe (bot over HTTP)', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await BotHarness.start();
    });
    after(async () => {
      await bot?.stop();
    });

    const warnings = () => bot.logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 40);

    it('HEAD and GET /api/messages answer 405 with Allow: POST, and log nothing (no turn, no warning)', async () => {
      const linesBefore = bot.logLines.length;
      for (const method of ['HEAD', 'GET']) {
        // As the Playground sends it (axios, JSON accept header).
        const answer = await fetch(`${bot.url}/api/messages`, { method, headers: { accept: 'application/json, text/plain, */*' } });
        assert.equal(answer.status, 405, method);
        assert.equal(answer.headers.get('allow'), 'POST');
        assert.doesNotMatch(await answer.text(), /api\/messages|restify|Error:/, 'says nothing about the server');
      }
      assert.deepEqual(bot.logLines.slice(linesBefore), [], 'nothing logged, no turn ran');
      assert.deepEqual(warnings(), []);
    });

    it('activities are still taken by POST only, checked as before', async () => {
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const answer = await fetch(`${bot.url}/api/messages`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(messageActivity(REQUESTER, bot.connector.url, 'help')),
        });
        assert.equal(answer.status, 405, method);
      }
      const bad = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"type":',
      });
      assert.equal(bad.status, 400);
      const help = await bot.say(REQUESTER, 'help');
      assert.equal(help.status, 200);
      assert.equal(help.replies.length, 1);
    });
  });

  describe('log format', () => {
    const capture = () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      });
      return { lines, sink };
    };

    it('production: one JSON object a line', () => {
      const { lines, sink } = capture();
      createLogger('info', sink).warn({ requestId: 'GR-0000000001', status: 503 }, 'requester not reached');
      const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
      assert.equal(entry.msg, 'requester not reached');
      assert.equal(entry.level, 40);
      assert.equal(entry.requestId, 'GR-0000000001');
    });

    it('npm run dev: time, level, message and key fields on one readable line, not JSON; secrets still redacted', () => {
      const { lines, sink } = capture();
      const log = createLogger('info', prettyDestination(sink));
      log.warn(
        { requestId: 'GR-0000000001', status: 503, why: 'two words', redeemUrl: 'https://login.example/redeem?ticket=secret' },
        'requester not reached',
      );
      log.info({ err: { code: 'E1' } }, 'turn');
      assert.equal(lines.length, 2);
      assert.throws(() => JSON.parse(lines[0]!));
      assert.match(
        lines[0]!,
        /^\d{2}:\d{2}:\d{2}\.\d{3} WARN {2}requester not reached requestId=GR-0000000001 status=503 why="two words" redeemUrl=\[redacted\]$/,
      );
      assert.doesNotMatch(lines.join('\n'), /secret/);
      assert.match(lines[1]!, / INFO {2}turn err=\{"code":"E1"\}$/);
      // Anything that is not one of pino's lines passes through as it is.
      assert.equal(prettyLine('not json'), 'not json');
    });
  });
});
