import assert from 'node:assert/strict';
import { jsonArrayElements } from '../../lib/json-array-elements';

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('jsonArrayElements', () => {
  it('cuts out each element as written, strings with brackets, commas, quotes and backslashes included', () => {
    const text = ' [ {"a": [1, 2], "b": "x,]}\\"\\\\"} ,"q\\\\" , -1.5e3,null,[[]],{}, true ]\n';
    assert.deepEqual(jsonArrayElements(text), ['{"a": [1, 2], "b": "x,]}\\"\\\\"}', '"q\\\\"', '-1.5e3', 'null', '[[]]', '{}', 'true']);
    assert.deepEqual(jsonArrayElements('[]'), []);
    assert.deepEqual(jsonArrayElements(' [ ] '), []);
  });

  it('gives the elements JSON.parse gives, on generated arrays', () => {
    const next = random(7);
    const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)]!;
    const pieces = ['"', '\\', ',', '[', ']', '{', '}', ':', ' ', 'a', 'é', '😀', '\n', '\u0000'];
    const string = () => Array.from({ length: Math.floor(next() * 6) }, () => pick(pieces)).join('');
    const value = (depth: number): unknown => {
      const kind = depth > 3 ? Math.floor(next() * 4) : Math.floor(next() * 6);
      if (kind === 0) return string();
      if (kind === 1) return Math.round((next() - 0.5) * 1e6) / 100;
      if (kind === 2) return pick([true, false, null]);
      if (kind === 3) return string();
      if (kind === 4) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [string(), value(depth + 1)]));
    };
    for (let round = 0; round < 500; round++) {
      const array = Array.from({ length: Math.floor(next() * 8) }, () => value(0));
      // Compact, indented, and with a space around every comma.
      for (const text of [JSON.stringify(array), JSON.stringify(array, null, 2), JSON.stringify(array).replaceAll(',', ' , ')]) {
        const parsed = JSON.parse(text) as unknown[];
        const elements = jsonArrayElements(text);
        assert.equal(elements.length, parsed.length, text);
        elements.forEach((element, i) => assert.deepEqual(JSON.parse(element), parsed[i], text));
      }
    }
  });
});
