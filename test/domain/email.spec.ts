import { strict as assert } from 'node:assert';
import { checkEmail } from '../../src/domain/validation/email';

describe('checkEmail', () => {
  it('accepts ordinary addresses and lower-cases only the domain', () => {
    const result = checkEmail('  Gina.Guest@Fabrikam.COM ');
    assert.deepEqual(result, { ok: true, email: 'Gina.Guest@fabrikam.com', domain: 'fabrikam.com' });
    assert.equal(checkEmail("o'neil-x_y@sub.example.co.uk").ok, true);
    assert.equal(checkEmail('a@xn--bcher-kva.example').ok, true);
  });

  for (const bad of [
    '',
    'plain',
    '@example.com',
    'a@',
    'a@b',
    'a@b.c',
    'a@@b.com',
    'a@b@c.com',
    'a b@c.com',
    'a@-b.com',
    'a@b-.com',
    '.a@b.com',
    'a.@b.com',
    'a..b@c.com',
    'a@b..com',
    'a,b@c.com',
    'a;b@c.com',
    'a@b.com;c@d.com',
    '<a@b.com>',
    '"a"@b.com',
    'a(comment)@b.com',
    'a+tag@b.com',
    'a!b@c.com',
    'a#b@c.com',
    'a$b@c.com',
    'a%b@c.com',
    'a^b@c.com',
    'a&b@c.com',
    'a*b@c.com',
    'a=b@c.com',
    'a[b]@c.com',
    'a{b}@c.com',
    'a\\b@c.com',
    'a/b@c.com',
    'a|b@c.com',
    'a:b@c.com',
    'a?b@c.com',
    'a~b@c.com',
    'a\tb@c.com',
    'a\nb@c.com',
    `${'x'.repeat(65)}@b.com`,
    `a@${'b'.repeat(250)}.com`,
  ]) {
    it(`refuses ${JSON.stringify(bad.length > 40 ? `${bad.slice(0, 20)}…` : bad)}`, () => {
      const result = checkEmail(bad);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.problem.code, /^email\./);
    });
  }
});
