import { strict as assert } from 'node:assert';
import { describeProblem, stringsFor } from '../../src/cards/i18n';
import { de } from '../../src/cards/i18n/de';
import { en } from '../../src/cards/i18n/en';

/** Every leaf of an object: "a.b.c" → its value. */
function leaves(value: unknown, path = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) for (const [p, v] of leaves(child, path ? `${path}.${key}` : key)) out.set(p, v);
  } else out.set(path, value);
  return out;
}

describe('languages', () => {
  it('German has every string English has, of the same kind, and none left in English', () => {
    const english = leaves(en);
    const german = leaves(de);
    assert.deepEqual([...german.keys()].sort(), [...english.keys()].sort());
    for (const [key, value] of english) {
      assert.equal(typeof german.get(key), typeof value, key);
      if (
        typeof value === 'string' &&
        key !== 'language' &&
        !key.startsWith('form.languages.') &&
        value.length > 12 &&
        !/^[\w.@]+$/.test(value)
      )
        assert.notEqual(german.get(key), value, `${key} is translated`);
    }
  });

  it('picks the language from the Teams locale, English when unknown', () => {
    assert.equal(stringsFor('de-DE').language, 'de');
    assert.equal(stringsFor('de-at').language, 'de');
    assert.equal(stringsFor('en-GB').language, 'en');
    assert.equal(stringsFor('fr-FR').language, 'en');
    assert.equal(stringsFor(undefined).language, 'en');
  });

  it('describes domain problems with their parameters', () => {
    assert.equal(
      describeProblem(en, { code: 'displayName.tooLong', params: { max: 256, length: 300 } }),
      'The display name can be at most 256 characters (it has 300).',
    );
    assert.match(describeProblem(de, { code: 'policy.blocked', params: { domain: 'x.com' } }), /x\.com/);
  });

  it('names a request status in the reader’s language', () => {
    assert.equal(
      describeProblem(de, { code: 'cancel.notPending', params: { status: 'Approved' } }),
      'Diese Anfrage ist bereits genehmigt.',
    );
    assert.equal(
      describeProblem(de, { code: 'retry.notFailed', params: { status: 'Invited' } }),
      'Diese Anfrage ist eingeladen, nicht fehlgeschlagen.',
    );
    assert.equal(describeProblem(en, { code: 'cancel.notPending', params: { status: 'Denied' } }), 'This request is already Denied.');
  });
});
