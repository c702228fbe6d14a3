import * as assert from 'node:assert/strict';
import { decodeSource, firstInvalidUtf8 } from '../../src/core/decode';

const entry = '@article{müller2020,\n  title = {Über Flüsse},\n  author = {Müller, Jörg},\n  year = 2020\n}\n';

function utf16le(s: string, bom: boolean): Uint8Array {
  const body = Buffer.from(s, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

function utf16be(s: string, bom: boolean): Uint8Array {
  const le = Buffer.from(s, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1], le[i]];
  return bom ? Buffer.concat([Buffer.from([0xfe, 0xff]), be]) : be;
}

describe('decodeSource', () => {
  it('reads UTF-8 as it is, without notes', () => {
    const d = decodeSource(Buffer.from(entry, 'utf8'));
    assert.ok(d.ok);
    assert.equal(d.text, entry);
    assert.equal(d.encoding, 'utf-8');
    assert.deepEqual(d.notes, []);
  });

  it('drops a UTF-8 byte-order mark', () => {
    const d = decodeSource(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(entry)]));
    assert.ok(d.ok);
    assert.equal(d.text, entry);
    assert.equal(d.encoding, 'utf-8-bom');
  });

  it('reads an empty file as empty text', () => {
    const d = decodeSource(new Uint8Array());
    assert.ok(d.ok);
    assert.equal(d.text, '');
  });

  for (const bom of [true, false]) {
    it(`reads UTF-16 LE and BE ${bom ? 'with' : 'without'} a byte-order mark, and says so`, () => {
      for (const [bytes, enc] of [
        [utf16le(entry, bom), 'utf-16le'],
        [utf16be(entry, bom), 'utf-16be'],
      ] as const) {
        const d = decodeSource(bytes);
        assert.ok(d.ok, enc);
        assert.equal(d.text, entry);
        assert.equal(d.encoding, enc);
        assert.match(d.notes[0].message, /UTF-16/);
      }
    });
  }

  it('reads Latin-1 as Windows-1252 and names the line where UTF-8 broke', () => {
    const latin1 = Buffer.from(entry, 'latin1');
    const d = decodeSource(latin1);
    assert.ok(d.ok);
    assert.equal(d.text, entry);
    assert.equal(d.encoding, 'windows-1252');
    assert.equal(d.notes[0].line, 1);
    assert.match(d.notes[0].message, /not valid UTF-8 \(byte 0xFC on line 1\).*Latin-1/);
  });

  it('maps Windows-1252 quotes and dashes', () => {
    const d = decodeSource(Buffer.from([0x93, 0x41, 0x94, 0x20, 0x96, 0x20, 0x80]));
    assert.ok(d.ok);
    assert.equal(d.text, '\u201cA\u201d \u2013 \u20ac');
  });

  it('names the line of the first invalid byte, not the first non-ASCII one', () => {
    const bytes = Buffer.concat([Buffer.from('é ok\nline two\n', 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    const d = decodeSource(bytes);
    assert.ok(d.ok);
    assert.equal(d.notes[0].line, 3);
  });

  it('refuses a binary file with a reason', () => {
    const pdfish = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 3, 0xff, 0xd8, 0]), Buffer.from('stream')]);
    const d = decodeSource(pdfish);
    assert.equal(d.ok, false);
    assert.ok(!d.ok && /not a text file/.test(d.problem));
  });

  it('refuses random bytes full of NULs even when they look like UTF-16', () => {
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i += 2) bytes[i] = 0x41;
    bytes[100] = 0;
    const d = decodeSource(bytes);
    assert.equal(d.ok, false);
  });
});

describe('firstInvalidUtf8', () => {
  const cases: [number[], number][] = [
    [[0x41, 0xc3, 0xa9, 0xff], 3],
    [[0xc0, 0x80], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0x41, 0xe2, 0x82], 1], // truncated
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
  ];
  for (const [bytes, at] of cases) {
    it(`finds offset ${at} in ${bytes.map((b) => b.toString(16)).join(' ')}`, () => {
      assert.equal(firstInvalidUtf8(new Uint8Array(bytes)), at);
    });
  }
});
