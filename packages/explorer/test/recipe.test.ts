import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childSeed } from '../src/child-seed.js';
import {
  type BugRecipe,
  formatBugRecipe,
  formatRecipe,
  parseBugRecipe,
  parseRecipe,
  type Recipe,
} from '../src/index.js';

const U64_MAX = (1n << 64n) - 1n;

/** Asserts that `fn` throws a RangeError whose message matches every pattern. */
function throwsRange(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof RangeError, `expected a RangeError, got ${String(err)}`);
    for (const p of patterns) assert.match(err.message, p);
    return true;
  });
}

describe('formatRecipe / parseRecipe', () => {
  it('prints the documented form exactly', () => {
    const recipe: Recipe = [
      { count: 151, seed: 8837201n },
      { count: 80, seed: 1293847n },
    ];
    assert.equal(formatRecipe(recipe), '151@8837201 -> 80@1293847');
    assert.equal(formatRecipe([{ count: 0, seed: 0n }]), '0@0');
  });

  it('the empty recipe (the root timeline) is the empty string, both ways', () => {
    assert.equal(formatRecipe([]), '');
    assert.deepEqual(parseRecipe(''), []);
    assert.deepEqual(parseRecipe('   '), []);
  });

  it('round-trips, including u64 max seeds and zero counts', () => {
    const recipes: Recipe[] = [
      [],
      [{ count: 0, seed: 0n }],
      [{ count: 151, seed: 8837201n }, { count: 80, seed: 1293847n }],
      [{ count: 1, seed: U64_MAX }],
      [
        { count: Number.MAX_SAFE_INTEGER, seed: U64_MAX },
        { count: 0, seed: 1n << 63n },
        { count: 7, seed: U64_MAX - 1n },
      ],
    ];
    for (const recipe of recipes) {
      const text = formatRecipe(recipe);
      const back = parseRecipe(text);
      assert.deepEqual(back, recipe, text);
      assert.equal(formatRecipe(back), text);
    }
    assert.equal(formatRecipe([{ count: 3, seed: U64_MAX }]), '3@18446744073709551615');
  });

  it('parses the printed form and its compact spelling to bigint seeds', () => {
    const expected = [
      { count: 151, seed: 8837201n },
      { count: 80, seed: 1293847n },
    ];
    assert.deepEqual(parseRecipe('151@8837201 -> 80@1293847'), expected);
    assert.deepEqual(parseRecipe('151@8837201->80@1293847'), expected);
    const [step] = parseRecipe('5@18446744073709551615');
    assert.equal(typeof step?.seed, 'bigint');
    assert.equal(step?.seed, U64_MAX);
  });

  it('rejects garbage with a RangeError naming the bad step', () => {
    throwsRange(() => parseRecipe('abc'), /step 1\b/, /abc/);
    throwsRange(() => parseRecipe('x@y'), /step 1\b/, /x@y/);
    // Missing @.
    throwsRange(() => parseRecipe('151 8837201'), /step 1\b/);
    throwsRange(() => parseRecipe('1518837201'), /step 1\b/);
    // The second step is the bad one.
    throwsRange(() => parseRecipe('151@8837201 -> 80'), /step 2\b/, /80/);
    throwsRange(() => parseRecipe('1@2 -> 3@4 -> @5'), /step 3\b/);
    // An empty step between arrows.
    throwsRange(() => parseRecipe('1@2 -> -> 3@4'), /step 2\b/);
    throwsRange(() => parseRecipe('1.5@2'), /step 1\b/);
  });

  it('rejects negative counts and seeds', () => {
    throwsRange(() => parseRecipe('5@-3'), /step 1\b/, /5@-3/);
    throwsRange(() => parseRecipe('-5@3'), /step 1\b/);
    throwsRange(() => parseRecipe('1@1 -> 5@-3'), /step 2\b/);
  });

  it('rejects a seed above 2^64-1', () => {
    throwsRange(() => parseRecipe('1@18446744073709551616'), /step 1\b/, /18446744073709551616/);
    throwsRange(() => parseRecipe('1@1 -> 2@99999999999999999999999'), /step 2\b/);
    // Exactly 2^64-1 is fine.
    assert.equal(parseRecipe('1@18446744073709551615')[0]?.seed, U64_MAX);
  });

  it('rejects a count that is not a safe integer', () => {
    throwsRange(() => parseRecipe('9007199254740993@1'), /step 1\b/);
  });
});

describe('formatBugRecipe / parseBugRecipe', () => {
  it('prints <seed>:<recipe> and round-trips', () => {
    const bug: BugRecipe = {
      rootSeed: 42n,
      recipe: [
        { count: 151, seed: 8837201n },
        { count: 80, seed: 1293847n },
      ],
    };
    assert.equal(formatBugRecipe(bug), '42:151@8837201 -> 80@1293847');
    assert.deepEqual(parseBugRecipe('42:151@8837201 -> 80@1293847'), bug);
    const cases: BugRecipe[] = [
      bug,
      { rootSeed: 0n, recipe: [] },
      { rootSeed: U64_MAX, recipe: [{ count: 0, seed: U64_MAX }] },
      { rootSeed: 7n, recipe: [{ count: 3, seed: 1n }, { count: 9, seed: 2n }, { count: 0, seed: 3n }] },
    ];
    for (const c of cases) {
      const text = formatBugRecipe(c);
      assert.deepEqual(parseBugRecipe(text), c, text);
    }
    assert.equal(formatBugRecipe({ rootSeed: 9n, recipe: [] }), '9:');
    // The trace hash is not part of the printed form.
    assert.equal(formatBugRecipe({ ...bug, traceHash: 'abcd' }), '42:151@8837201 -> 80@1293847');
  });

  it('rejects a missing colon, a bad root seed and a bad recipe with RangeErrors', () => {
    throwsRange(() => parseBugRecipe('abc'), /abc/, /<seed>:<recipe>/);
    throwsRange(() => parseBugRecipe('151@8837201'), /<seed>:<recipe>/);
    throwsRange(() => parseBugRecipe('x:1@2'), /root seed/);
    throwsRange(() => parseBugRecipe('-1:1@2'), /root seed/);
    throwsRange(() => parseBugRecipe(':1@2'), /root seed/);
    throwsRange(() => parseBugRecipe('18446744073709551616:1@2'), /root seed/, /18446744073709551616/);
    throwsRange(() => parseBugRecipe('1:x@y'), /step 1\b/);
    throwsRange(() => parseBugRecipe('1:5@-3'), /step 1\b/);
    throwsRange(() => parseBugRecipe('1:1@2 -> 3@18446744073709551616'), /step 2\b/);
    assert.equal(parseBugRecipe('18446744073709551615:').rootSeed, U64_MAX);
  });
});

/** FNV-1a-64 as Moonpool derives child seeds, written independently: bytes, then the parent seed, then the index. */
const FNV_OFFSET = 14695981039346656037n; // 0xcbf29ce484222325
const FNV_PRIME = 1099511628211n; // 0x100000001b3

function fnvStep(h: bigint, value: bigint): bigint {
  return BigInt.asUintN(64, (h ^ value) * FNV_PRIME);
}

function referenceFnv64(bytes: Iterable<number>): bigint {
  let h = FNV_OFFSET;
  for (const b of bytes) h = fnvStep(h, BigInt(b));
  return h;
}

function referenceChildSeed(mark: string, parent: bigint, index: number): bigint {
  const h = referenceFnv64(Buffer.from(mark, 'utf8'));
  return fnvStep(fnvStep(h, parent), BigInt(index));
}

describe('childSeed', () => {
  it('the reference matches published FNV-1a-64 test vectors', () => {
    const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
    assert.equal(referenceFnv64([]), 0xcbf29ce484222325n);
    assert.equal(referenceFnv64(ascii('a')), 0xaf63dc4c8601ec8cn);
    assert.equal(referenceFnv64(ascii('foobar')), 0x85944171f73967e8n);
  });

  it('matches FNV-1a-64 over the mark, then the parent seed, then the index', () => {
    const marks = ['', 'a', 'gate', 'lock opens', 'all locks open', 'héllo ✓ 🚀'];
    const parents = [0n, 1n, 42n, 8837201n, 1n << 63n, U64_MAX];
    const indices = [0, 1, 2, 19, 149, 65535, 2 ** 31, Number.MAX_SAFE_INTEGER];
    for (const mark of marks) {
      for (const parent of parents) {
        for (const index of indices) {
          assert.equal(
            childSeed(mark, parent, index),
            referenceChildSeed(mark, parent, index),
            `${mark}/${parent}/${index}`,
          );
        }
      }
    }
    // A hand-computed value: the empty mark leaves the offset basis, then two xor-multiply rounds.
    const expected = BigInt.asUintN(64, BigInt.asUintN(64, (FNV_OFFSET ^ 5n) * FNV_PRIME) * FNV_PRIME);
    assert.equal(childSeed('', 5n, 0), expected);
  });

  it('is deterministic, a u64, and differs by mark, parent and index', () => {
    const base = childSeed('gate', 1234n, 3);
    assert.equal(childSeed('gate', 1234n, 3), base);
    assert.ok(base >= 0n && base <= U64_MAX);
    assert.notEqual(childSeed('gatf', 1234n, 3), base);
    assert.notEqual(childSeed('gate', 1235n, 3), base);
    assert.notEqual(childSeed('gate', 1234n, 4), base);
    // Many children of one split all get distinct seeds, all in range.
    const seeds = new Set<bigint>();
    for (let i = 0; i < 1000; i++) {
      const s = childSeed('gate', U64_MAX, i);
      assert.ok(s >= 0n && s <= U64_MAX);
      seeds.add(s);
    }
    assert.equal(seeds.size, 1000);
    // The mark is hashed as UTF-8 bytes (two for 'é'), not as one Latin-1 byte or one code unit.
    const latin1 = fnvStep(fnvStep(referenceFnv64([0xe9]), 0n), 0n);
    const utf8 = fnvStep(fnvStep(referenceFnv64([0xc3, 0xa9]), 0n), 0n);
    assert.equal(childSeed('é', 0n, 0), utf8);
    assert.notEqual(childSeed('é', 0n, 0), latin1);
  });
});
