import { strict as assert } from 'node:assert';
import { plainText } from '../../src/cards/plainText';

describe('plainText (user text shown on cards and messages)', () => {
  it('neutralises markdown links, images, emphasis and headings', () => {
    const out = plainText('[Approve here](https://evil.example) ![x](http://img) **bold** # Title');
    assert.ok(!/\]\(/.test(out.replace(/\\\]\\\(/g, '')), 'no live link syntax');
    assert.ok(out.includes('\\[Approve here\\]'));
    assert.ok(out.includes('\\*\\*bold\\*\\*'));
    assert.ok(out.includes('\\# Title'));
  });

  it('neutralises HTML and <at> mentions', () => {
    const out = plainText('<at>Anna</at> <b>hi</b> & more');
    assert.ok(!out.includes('<'));
    assert.ok(!out.includes('>'));
    assert.ok(out.includes('&lt;at&gt;Anna&lt;/at&gt;'));
    assert.ok(out.includes('&amp; more'));
  });

  it('breaks bare URLs so they are not auto-linked', () => {
    const out = plainText('see https://evil.example and www.evil.example');
    assert.ok(!/https:\/\//.test(out));
    assert.ok(!/www\./.test(out));
  });

  it('drops control and bidi-override characters; empty stays empty', () => {
    assert.equal(plainText('a\u202Eb\u0000c'), 'abc');
    assert.equal(plainText(undefined), '');
  });
});
