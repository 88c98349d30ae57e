/** Reading failed calls (src/domain/sendFailures.ts) and telling a refused reply from other 4xx (src/bot/undelivered.ts). */
import { strict as assert } from 'node:assert';
import { replyRefusal } from '../../src/bot/undelivered';
import { certainlyNotDelivered, failureStatus, permanentRefusalStatus } from '../../src/domain/sendFailures';

const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const connectorError = (status: number, url = `${SERVICE_URL}v3/conversations/a%3A1/activities/1`) =>
  Object.assign(new Error(`HTTP ${status}`), { statusCode: status, request: { url } });

describe('failed calls', () => {
  it('reads the status from statusCode or response.status, and nothing from a network error', () => {
    assert.equal(failureStatus({ statusCode: 404 }), 404);
    assert.equal(failureStatus({ response: { status: 503 } }), 503);
    assert.equal(failureStatus(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), undefined);
    assert.equal(failureStatus(undefined), undefined);
  });

  it('a 4xx other than 429 is a refusal for good; 429, 5xx and no answer are not', () => {
    assert.deepEqual(
      [400, 403, 404, 429, 500, 503].map((status) => permanentRefusalStatus({ statusCode: status })),
      [400, 403, 404, undefined, undefined, undefined],
    );
    assert.equal(permanentRefusalStatus(new Error('socket hang up')), undefined);
  });

  it('certainly not delivered: an error status or a refused connection, never a time-out or a reset', () => {
    assert.equal(certainlyNotDelivered({ statusCode: 502 }), true);
    assert.equal(certainlyNotDelivered({ cause: { code: 'ECONNREFUSED' } }), true);
    assert.equal(certainlyNotDelivered({ code: 'ECONNRESET' }), false);
    assert.equal(certainlyNotDelivered(Object.assign(new Error('aborted'), { name: 'AbortError' })), false);
  });

  it("a reply refused: Teams' 4xx for a call to the activity's own service URL only", () => {
    const activity = { serviceUrl: SERVICE_URL };
    assert.equal(replyRefusal(activity, connectorError(404)), 404);
    assert.equal(replyRefusal(activity, connectorError(403)), 403);
    assert.equal(replyRefusal(activity, connectorError(503)), undefined, 'a passing failure');
    // A storage or Graph 4xx that reached the turn is not Teams refusing a reply.
    assert.equal(replyRefusal(activity, connectorError(404, 'https://acct.table.core.windows.net/Requests')), undefined);
    assert.equal(replyRefusal(activity, { statusCode: 404 }), undefined, 'no request to tell where it went');
    assert.equal(replyRefusal({}, connectorError(404)), undefined, 'an activity without a service URL');
  });
});
