import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../model/span-record.js';
import { OtlpDecodeError } from './errors.js';
import { getPath, MAX_KEY_PARTS, unflatten, unflattenFast, unflattenTrie } from './unflatten.js';

const kv = (entries: [string, JsonValue][]) => entries.map(([key, value]) => ({ key, value }));

describe('unflatten', () => {
  it('nests dotted keys', () => {
    expect(
      unflatten(
        kv([
          ['llm.token_count.prompt', 5],
          ['llm.token_count.completion', 7],
          ['llm.model_name', 'gpt'],
          ['plain', true],
        ]),
      ),
    ).toEqual({ llm: { token_count: { prompt: 5, completion: 7 }, model_name: 'gpt' }, plain: true });
  });

  it('turns numeric segments followed by more segments into arrays of objects', () => {
    expect(
      unflatten(
        kv([
          ['llm.input_messages.1.message.role', 'assistant'],
          ['llm.input_messages.0.message.role', 'user'],
          ['llm.input_messages.0.message.contents.0.message_content.text', 'hi'],
          ['llm.input_messages.0.message.contents.1.message_content.type', 'image'],
        ]),
      ),
    ).toEqual({
      llm: {
        input_messages: [
          {
            message: {
              role: 'user',
              contents: [{ message_content: { text: 'hi' } }, { message_content: { type: 'image' } }],
            },
          },
          { message: { role: 'assistant' } },
        ],
      },
    });
  });

  it('compacts sparse indices in ascending numeric order and treats 007 as 7', () => {
    expect(
      unflatten(
        kv([
          ['docs.10.id', 'c'],
          ['docs.2.id', 'b'],
          ['docs.007.score', 1],
          ['docs.7.id', 'a'],
        ]),
      ),
    ).toEqual({ docs: [{ id: 'b' }, { score: 1, id: 'a' }, { id: 'c' }] });
  });

  it('keeps an all-digit last segment as an object key', () => {
    expect(unflatten(kv([['a.0', 'x']]))).toEqual({ a: { '0': 'x' } });
    expect(unflatten(kv([['0', 'x']]))).toEqual({ '0': 'x' });
  });

  it('conflict: a key holding a value keeps it; longer keys stay flat beside it (either order)', () => {
    const expected = { a: 1, 'a.b': 2 };
    expect(
      unflatten(
        kv([
          ['a', 1],
          ['a.b', 2],
        ]),
      ),
    ).toEqual(expected);
    expect(
      unflatten(
        kv([
          ['a.b', 2],
          ['a', 1],
        ]),
      ),
    ).toEqual(expected);
    expect(
      unflatten(
        kv([
          ['x.a.b.c', 2],
          ['x.a', 1],
          ['x.a.d', 3],
        ]),
      ),
    ).toEqual({ x: { a: 1, 'a.b': { c: 2 }, 'a.d': 3 } });
  });

  it('conflict: an index and a value at one place make the index an ordinary key', () => {
    expect(
      unflatten(
        kv([
          ['a.0', 5],
          ['a.0.x', 1],
        ]),
      ),
    ).toEqual({ a: { '0': 5, '0.x': 1 } });
    expect(
      unflatten(
        kv([
          ['a.0.x', 1],
          ['a', 'v'],
        ]),
      ),
    ).toEqual({ a: 'v', 'a.0': { x: 1 } });
  });

  it('conflict: indices and named keys under one key give the array plus flat named keys', () => {
    expect(
      unflatten(
        kv([
          ['a.0.c', 2],
          ['a.b', 1],
        ]),
      ),
    ).toEqual({ a: [{ c: 2 }], 'a.b': 1 });
  });

  it('indices at the top level or right after an index are object keys', () => {
    expect(unflatten(kv([['0.x', 1]]))).toEqual({ '0': { x: 1 } });
    expect(unflatten(kv([['a.0.1.x', 1]]))).toEqual({ a: [{ '1': { x: 1 } }] });
  });

  it('an object value (kvlist) is a value: sub-keys beside it stay flat', () => {
    expect(
      unflatten(
        kv([
          ['m', { k: 1 }],
          ['m.j', 2],
        ]),
      ),
    ).toEqual({ m: { k: 1 }, 'm.j': 2 });
  });

  it('drops nulls, last value of a repeated key wins', () => {
    expect(
      unflatten(
        kv([
          ['a.b', 1],
          ['a.c', null],
          ['a.b', 2],
          ['n', null],
        ]),
      ),
    ).toEqual({ a: { b: 2 } });
  });

  it('ignores one trailing dot; an empty segment with sub-keys vanishes (as in Phoenix)', () => {
    expect(unflatten(kv([['a.', 1]]))).toEqual({ a: 1 });
    expect(unflatten(kv([['a..b', 1]]))).toEqual({ a: { b: 1 } });
    expect(unflatten(kv([['a..', 1]]))).toEqual({ a: { '': 1 } });
    expect(unflatten(kv([['', 1]]))).toEqual({ '': 1 });
  });

  it('stores __proto__ as an own key and never touches prototypes', () => {
    const out = unflatten(
      kv([
        ['__proto__.polluted', 1],
        ['x.__proto__', 2],
        ['constructor.name', 'c'],
      ]),
    );
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(out))).toEqual(
      JSON.parse('{"__proto__":{"polluted":1},"x":{"__proto__":2},"constructor":{"name":"c"}}'),
    );
  });

  it('rejects keys with absurdly many parts', () => {
    const key = Array.from({ length: MAX_KEY_PARTS + 1 }, () => 'a').join('.');
    expect(() => unflatten(kv([[key, 1]]))).toThrow(OtlpDecodeError);
    expect(() => unflatten(kv([[key, 1]]))).toThrow(/has 129 dot-separated parts/);
  });

  it('the direct builder agrees with the trie on random input whenever it does not give up', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const segments = ['a', 'b', 'c', '0', '1', '2', '01', 'x'];
    let compared = 0;
    for (let round = 0; round < 3000; round++) {
      const pairs: { key: string; value: JsonValue }[] = [];
      const count = 1 + rand(6);
      for (let i = 0; i < count; i++) {
        const depth = 1 + rand(4);
        const key = Array.from({ length: depth }, () => segments[rand(segments.length)]!).join('.');
        pairs.push({ key, value: rand(10) === 0 ? null : rand(10) === 0 ? { k: i } : i });
      }
      const fast = unflattenFast(pairs);
      const trie = unflattenTrie(pairs);
      expect(unflatten(pairs)).toEqual(trie);
      if (fast !== null) {
        compared++;
        expect(fast, JSON.stringify(pairs)).toEqual(trie);
      }
    }
    // Both paths are exercised.
    expect(compared).toBeGreaterThan(500);
    expect(compared).toBeLessThan(3000);
  });
});

describe('getPath', () => {
  it('reads nested own values only', () => {
    const obj = { a: { b: [1], c: { d: 'x' } } };
    expect(getPath(obj, ['a', 'c', 'd'])).toBe('x');
    expect(getPath(obj, ['a', 'b', '0'])).toBeUndefined();
    expect(getPath(obj, ['a', 'toString'])).toBeUndefined();
    expect(getPath(obj, ['z'])).toBeUndefined();
  });
});
