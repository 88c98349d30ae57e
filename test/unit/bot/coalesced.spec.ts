import { strict as assert } from 'node:assert';
import { Coalesced } from '../../../src/bot/coalesced';

describe('Coalesced', () => {
  it('runs once for requests made while it runs, then once more; never two at once', async () => {
    let runs = 0;
    let concurrent = 0;
    let most = 0;
    let release!: () => void;
    const work = new Coalesced(async () => {
      runs++;
      most = Math.max(most, ++concurrent);
      await new Promise<void>((resolve) => (release = resolve));
      concurrent--;
    });
    const first = work.request();
    const waiting = Array.from({ length: 10 }, () => work.request());
    release(); // the first run ends; one more runs for the ten requests that came during it
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([first, ...waiting]);
    assert.equal(runs, 2);
    assert.equal(most, 1);
  });

  it('a request after a run has ended starts a new one; a failed run does not block the next', async () => {
    let runs = 0;
    const work = new Coalesced(async () => {
      runs++;
      if (runs === 1) throw new Error('storage down');
    });
    await assert.rejects(work.request(), /storage down/);
    await work.request();
    assert.equal(runs, 2);
  });
});
