import { strict as assert } from 'node:assert';
import { checkDomainPolicy, domainCovers } from '../../src/domain/policy/domainPolicy';

describe('domain policy', () => {
  it('an entry covers the domain and its subdomains, nothing else', () => {
    assert.equal(domainCovers('contoso.com', 'contoso.com'), true);
    assert.equal(domainCovers('contoso.com', 'eu.contoso.com'), true);
    assert.equal(domainCovers('Contoso.com', 'EU.CONTOSO.COM'), true);
    assert.equal(domainCovers('*.contoso.com', 'eu.contoso.com'), true);
    assert.equal(domainCovers('contoso.com', 'notcontoso.com'), false);
    assert.equal(domainCovers('contoso.com', 'contoso.com.evil.io'), false);
  });

  it('blocked wins over allowed, and the organisation is never a guest', () => {
    const policy = { allowed: ['fabrikam.com'], blocked: ['bad.fabrikam.com'], organisation: ['contoso.com'] };
    assert.equal(checkDomainPolicy(policy, 'fabrikam.com').ok, true);
    assert.equal(checkDomainPolicy(policy, 'eu.fabrikam.com').ok, true);
    assert.equal(checkDomainPolicy(policy, 'bad.fabrikam.com').ok, false);
    assert.equal(checkDomainPolicy(policy, 'x.bad.fabrikam.com').ok, false);
    assert.equal(checkDomainPolicy(policy, 'northwind.com').ok, false);
    assert.equal(checkDomainPolicy(policy, 'contoso.com').ok, false);
  });

  it('an empty allow-list allows any domain not blocked', () => {
    assert.equal(checkDomainPolicy({ allowed: [], blocked: ['gmail.com'], organisation: [] }, 'northwind.com').ok, true);
    assert.equal(checkDomainPolicy({ allowed: [], blocked: ['gmail.com'], organisation: [] }, 'gmail.com').ok, false);
  });
});
