/**
 * Work a turn hands over (the fan-out, what follows a decision, a read ahead) starts after the
 * turn's answer: what it does before its first wait (cards drawn, calls written) would otherwise
 * run ahead of the answer the person is waiting for (README, Performance). Pure: no I/O.
 */
import { strict as assert } from 'node:assert';
import { BackgroundWork } from '../../src/bot/backgroundWork';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('BackgroundWork', () => {
  it('starts handed-over work only after the turn that handed it over has answered (its code and the promises it chains)', async () => {
    const work = new BackgroundWork(silent);
    const order: string[] = [];
    // A turn: hands work over, then draws and sends its answer through a chain of promises.
    const turn = async () => {
      work.run('followUp', async () => {
        order.push('follow-up started');
      });
      order.push('handed over');
      for (let step = 0; step < 20; step++) await Promise.resolve();
      order.push('answer sent');
    };
    await turn();
    assert.equal(work.size, 1, 'tracked from the moment it is handed over');
    await work.idle();
    assert.deepEqual(order, ['handed over', 'answer sent', 'follow-up started']);
    assert.equal(work.size, 0);
  });

  it('still runs work handed over by work, and reports a failure without throwing at the caller', async () => {
    const errors: string[] = [];
    const work = new BackgroundWork({ ...silent, error: (fields: Record<string, unknown>) => errors.push(String(fields.err)) });
    let inner = false;
    work.run('outer', async () => {
      work.run('inner', async () => {
        inner = true;
      });
      throw new Error('outer failed');
    });
    await work.idle();
    assert.equal(inner, true);
    assert.deepEqual(errors, ['outer failed']);
  });

  it('takes no new work once draining; what the sweep re-drives is left to it', async () => {
    const warnings: string[] = [];
    const work = new BackgroundWork({ ...silent, warn: (_fields: Record<string, unknown>, message: string) => warnings.push(message) });
    let ran = false;
    assert.equal(await work.drain(1000), true);
    work.run('late', async () => {
      ran = true;
    });
    await work.idle();
    assert.equal(ran, false);
    assert.equal(warnings.length, 1);
  });
});
