// Unit tests of the slate shaping: row order, status, counts, parity verdicts and timings.
import { describe, expect, it } from 'vitest';
import { fixtureSlate } from './fixtures.js';
import {
  formatScore,
  formatShare,
  memberIdFromInput,
  parityRows,
  timingRows,
  traceCounts,
  traceRows,
} from './slate-data.js';

describe('traceRows', () => {
  it('lists the served candidates in slate order, then the rest in retrieval order', () => {
    expect(traceRows(fixtureSlate()).map((row) => row.userId)).toEqual([
      'demo-00007',
      'demo-00011',
      'demo-00013',
      'demo-00099',
      'demo-00020',
    ]);
  });

  it('gives each row its status, position, ranks and removal', () => {
    const rows = new Map(traceRows(fixtureSlate()).map((row) => [row.userId, row]));
    expect(rows.get('demo-00007')).toMatchObject({ status: 'served', position: 1, ranks: { retrieval: 2, final: 1 } });
    expect(rows.get('demo-00013')).toMatchObject({
      status: 'removed',
      position: null,
      removed: { stage: 'safety', reason: 'harassment_score 0.93 > 0.8' },
      ranks: { ranker: 1, safety: null },
    });
    expect(rows.get('demo-00099')).toMatchObject({ status: 'belowCut', removed: null, rankerScore: null });
    expect(rows.get('demo-00011')?.unscored).toBe(true);
  });

  it("carries each candidate's masked feature groups and whose opt-out masked them; unknown when not reported", () => {
    const rows = new Map(traceRows(fixtureSlate()).map((row) => [row.userId, row]));
    expect(rows.get('demo-00007')?.maskedGroups).toEqual([{ group: 'interests', by: 'candidate' }]);
    expect(rows.get('demo-00011')?.maskedGroups).toEqual([
      { group: 'behavioural', by: 'candidate' },
      { group: 'favorites', by: 'both' },
    ]);
    expect(rows.get('demo-00099')?.maskedGroups).toEqual([]);
    expect(rows.get('demo-00020')?.maskedGroups).toBeNull();
  });

  it('counts served, removed per stage, below the cut and unscored', () => {
    expect(traceCounts(traceRows(fixtureSlate()))).toEqual({
      traced: 5,
      served: 2,
      removed: 2,
      belowCut: 1,
      unscored: 1,
      removedByStage: { safety: 1, parity: 1 },
    });
  });
});

describe('parityRows', () => {
  it('reports every gender within the band when there is no shortfall', () => {
    expect(parityRows(fixtureSlate().parity)).toEqual([
      { gender: 'man', target: 0.5, actual: 0.5, missing: 0, withinBand: true },
      { gender: 'woman', target: 0.5, actual: 0.5, missing: 0, withinBand: true },
    ]);
  });

  it('carries the shortfall, lists genders only in the slate, and puts unknown last', () => {
    const rows = parityRows({
      targetShares: { woman: 0.5, man: 0.5 },
      shares: { unknown: 0.1, man: 0.7, woman: 0.2 },
      shortfall: [
        { gender: 'woman', target: 0.5, actual: 0.2, missing: 2 },
        { gender: 'man', target: 0.5, actual: 0.7, missing: -1 },
      ],
    });
    expect(rows.map((row) => [row.gender, row.target, row.missing, row.withinBand])).toEqual([
      ['man', 0.5, -1, false],
      ['woman', 0.5, 2, false],
      ['unknown', null, 0, true],
    ]);
  });
});

describe('timingRows', () => {
  it('lists the stages in pipeline order with their share of the total', () => {
    const rows = timingRows(fixtureSlate().timings);
    const pipelineOrder = ['retrieveMs', 'featuresMs', 'rankMs', 'safetyMs', 'diversityMs', 'parityMs', 'logMs'];
    expect(rows.map((row) => row.stage)).toEqual(pipelineOrder);
    expect(rows[0]).toEqual({ stage: 'retrieveMs', ms: 12.5, share: 12.5 / 30 });
  });

  it('gives zero shares when the total is zero', () => {
    const timings = {
      retrieveMs: 0,
      featuresMs: 0,
      rankMs: 0,
      safetyMs: 0,
      diversityMs: 0,
      parityMs: 0,
      logMs: 0,
      totalMs: 0,
    };
    expect(timingRows(timings).every((row) => row.share === 0)).toBe(true);
  });
});

describe('formatting', () => {
  it('formats scores, shares and the typed member id', () => {
    expect(formatScore(0.91234)).toBe('0.912');
    expect(formatScore(null)).toBe('—');
    expect(formatShare(0.666)).toBe('67 %');
    expect(formatShare(null)).toBe('—');
    expect(memberIdFromInput('  demo-00042 ')).toBe('demo-00042');
    expect(memberIdFromInput('   ')).toBeNull();
  });
});
