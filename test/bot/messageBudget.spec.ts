import { strict as assert } from 'node:assert';
import { CardFactory, MessageFactory, TestAdapter } from 'botbuilder';
import { MESSAGE_BUDGET_BYTES, messageBudget, messageBytes } from '../../src/bot/messageBudget';
import type { Logger } from '../../src/domain/ports';

describe('message budget (the one size check on the adapter)', () => {
  const logged: string[] = [];
  const log = { info() {}, warn() {}, error: (_f: unknown, message: string) => logged.push(message), debug() {} } as unknown as Logger;

  it('lets a message within 80 KB through unchanged and replaces a larger one by a short text, logged', async () => {
    const sent: Array<Record<string, any>> = [];
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity(MessageFactory.text('small'));
      const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x'.repeat(MESSAGE_BUDGET_BYTES / 2) }] };
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    });
    adapter.use(messageBudget(log));
    await adapter.send({ type: 'message', text: 'hi', locale: 'de-DE' });
    while (adapter.activeQueue.length > 0) sent.push(adapter.activeQueue.shift() as never);
    assert.equal(sent.length, 2);
    assert.equal(sent[0]!.text, 'small');
    assert.equal(sent[1]!.attachments, undefined);
    assert.match(sent[1]!.text, /zu groß/);
    assert.ok(messageBytes(sent[1]) <= MESSAGE_BUDGET_BYTES);
    assert.deepEqual(logged, ['message over the size budget not sent']);
  });
});
