// Edit distance counts each kind of one-key slip as a single edit.
import { describe, expect, it } from 'vitest';
import { editDistance, editSimilarity } from './edit-distance.js';

describe('editDistance', () => {
  it.each([
    ['dave', 'dave', 0],
    ['dvae', 'dave', 1], // swap
    ['dav', 'dave', 1], // drop
    ['daave', 'dave', 1], // doubling
    ['dabe', 'dave', 1], // substitution
    ['', 'dave', 4],
    ['kitten', 'sitting', 3],
    ['amélie', 'amelie', 1],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('editSimilarity', () => {
  it('is 1 for equal strings and falls with each edit', () => {
    expect(editSimilarity('lion king', 'lion king')).toBe(1);
    expect(editSimilarity('lion knig', 'lion king')).toBeCloseTo(1 - 1 / 9, 6);
    expect(editSimilarity('', '')).toBe(1);
    expect(editSimilarity('abc', 'xyz')).toBe(0);
  });
});
