import { strict as assert } from 'node:assert';
import { pickRawInput, validateRequestInput } from '../../src/domain/validation/requestInput';

describe('request form validation', () => {
  it('returns clean values for valid input', () => {
    const result = validateRequestInput(
      pickRawInput({
        email: 'gina@Fabrikam.com',
        displayName: ' Gina ',
        justification: ' Q3 launch ',
        message: '',
        sendInvitationMessage: 'true',
      }),
    );
    assert.deepEqual(result, {
      ok: true,
      value: {
        email: 'gina@fabrikam.com',
        domain: 'fabrikam.com',
        displayName: 'Gina',
        justification: 'Q3 launch',
        message: undefined,
        sendInvitationMessage: true,
        ccEmail: undefined,
        messageLanguage: undefined,
      },
    });
  });

  it('names every problem and keeps what was entered', () => {
    const raw = pickRawInput({
      email: 'nope',
      displayName: 'd'.repeat(257),
      justification: '',
      message: 'm'.repeat(1001),
      sendInvitationMessage: 'maybe',
    });
    const result = validateRequestInput(raw);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(Object.keys(result.errors).sort(), ['displayName', 'email', 'justification', 'message', 'sendInvitationMessage']);
    assert.equal(result.entered.email, 'nope');
  });

  it('applies the limits after trimming, at the exact boundaries', () => {
    const ok = validateRequestInput(
      pickRawInput({ email: 'a@b.co', displayName: 'd'.repeat(256), justification: `  ${'j'.repeat(1000)}  `, message: 'm'.repeat(1000) }),
    );
    assert.equal(ok.ok, true);
    const tooLong = validateRequestInput(pickRawInput({ email: 'a@b.co', justification: 'j'.repeat(1001) }));
    assert.equal(tooLong.ok, false);
  });

  it('treats non-string fields as missing and ignores unknown fields', () => {
    const raw = pickRawInput({ email: 5, justification: { x: 1 }, status: 'Approved', requester: 'someone' });
    assert.deepEqual(raw, {
      email: undefined,
      displayName: undefined,
      justification: undefined,
      message: undefined,
      sendInvitationMessage: undefined,
      ccEmail: undefined,
      messageLanguage: undefined,
    });
    assert.deepEqual(pickRawInput(null), pickRawInput('string'));
  });

  it('strips control and bidi-override characters', () => {
    const result = validateRequestInput(pickRawInput({ email: 'a@b.co', justification: 'ok\u202Egnp.exe\u0007' }));
    assert.equal(result.ok && result.value.justification, 'okgnp.exe');
  });

  it('accepts a well-formed teamGroupId (a GUID) and refuses anything else next to the field', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const ok = validateRequestInput(pickRawInput({ email: 'a@b.co', justification: 'ok', teamGroupId: ` ${id} ` }));
    assert.equal(ok.ok && ok.value.teamGroupId, id);
    const none = validateRequestInput(pickRawInput({ email: 'a@b.co', justification: 'ok', teamGroupId: '' }));
    assert.equal(none.ok && none.value.teamGroupId, undefined);
    for (const forged of ["x' or 1 eq 1", '../groups', id + 'x', 42]) {
      const bad = validateRequestInput(pickRawInput({ email: 'a@b.co', justification: 'ok', teamGroupId: forged }));
      if (typeof forged === 'number') assert.ok(bad.ok, 'a non-string is treated as absent');
      else assert.equal(!bad.ok && bad.errors.teamGroupId?.code, 'teamGroupId.notOffered', forged);
    }
  });
});
