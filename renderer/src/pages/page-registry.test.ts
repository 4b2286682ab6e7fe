// Which pages each role sees in the console's navigation (the server enforces the same roles on
// every route; this is the hiding the console does for clarity).
import { describe, expect, it } from 'vitest';
import { pagesFor } from './page-registry.js';

const idsFor = (role: Parameters<typeof pagesFor>[0]) => pagesFor(role).map((page) => page.id);

describe('pagesFor', () => {
  it('gives a reviewer everything but Models', () => {
    expect(idsFor('reviewer')).not.toContain('models');
    expect(idsFor('reviewer')).toEqual(expect.arrayContaining(['overview', 'slates', 'reviewQueue', 'preview']));
  });

  it('gives an ML engineer the Overview and Models, not Slate review', () => {
    expect(idsFor('ml_engineer')).toEqual(['overview', 'models']);
  });

  it('gives an admin every page and a member none', () => {
    expect(idsFor('admin')).toEqual(['overview', 'slates', 'reviewQueue', 'models', 'preview']);
    expect(idsFor('member')).toEqual([]);
  });
});
