// The static measures behind the GraphQL limits: fragments count as expanded, cycles cannot loop,
// mutation fields cost more, and the first limit exceeded is the one named.
import { describe, expect, it } from 'vitest';
import { getOperationAST, parse } from 'graphql';
import { exceededLimit, measureOperation, type DocumentLimits } from './document-limits.js';

function measure(source: string) {
  const document = parse(source);
  return measureOperation(document, getOperationAST(document)!);
}

const LIMITS: DocumentLimits = { maxDepth: 8, maxAliases: 20, maxCost: 200, maxRootMutations: 5, introspection: false };

describe('measureOperation', () => {
  it('counts depth, aliases and fields of a plain query', () => {
    expect(measure('{ a: me { memberId location { lat lon } } }')).toEqual({
      depth: 3,
      aliases: 1,
      cost: 5,
      rootMutations: 0,
      introspection: null,
    });
  });

  it('costs each root mutation field 10 and counts them through fragments', () => {
    const measured = measure(`
      fragment Two on Mutation { a: save { id } b: save { id } }
      mutation { ...Two ... on Mutation { c: save { id } } }`);
    expect(measured.rootMutations).toBe(3);
    expect(measured.cost).toBe(3 * 10 + 3);
    expect(measured.aliases).toBe(3);
  });

  it('measures a fragment bomb as expanded without expanding it', () => {
    const levels = 60;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on T { ${i === 0 ? 'x' : `...F${i - 1} ...F${i - 1}`} }`,
    );
    const measured = measure(`${fragments.join('\n')} { t { ...F${levels - 1} } }`);
    expect(measured.cost).toBe(2 ** (levels - 1) + 1);
  });

  it('treats cyclic and unknown fragments as empty (validation refuses them later)', () => {
    expect(measure('fragment A on T { x ...B } fragment B on T { ...A } { t { ...A ...Missing } }').cost).toBe(2);
  });

  it('notices introspection anywhere in the operation', () => {
    expect(measure('fragment F on Query { __type(name: "X") { name } } { ...F }').introspection).toBe('__type');
    expect(measure('{ __typename }').introspection).toBeNull();
  });
});

describe('exceededLimit', () => {
  it('names the first limit exceeded, or none', () => {
    const fits = { depth: 3, aliases: 0, cost: 5, rootMutations: 0, introspection: null };
    expect(exceededLimit(fits, LIMITS)).toBeNull();
    expect(exceededLimit({ ...fits, depth: 9, cost: 999 }, LIMITS)).toMatch(/^query: depth 9 exceeds the limit of 8/);
    expect(exceededLimit({ ...fits, cost: 201 }, LIMITS)).toMatch(/^query: cost 201 exceeds the limit of 200/);
    expect(exceededLimit({ ...fits, introspection: '__schema' }, LIMITS)).toMatch(/^query: introspection/);
    expect(exceededLimit({ ...fits, introspection: '__schema' }, { ...LIMITS, introspection: true })).toBeNull();
  });
});
