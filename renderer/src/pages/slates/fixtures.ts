// Test fixtures (imported only by the *.test.ts(x) files): a small slate response with a served
// candidate, a safety removal, a parity removal, an unscored keep and one below the cut, masked feature
// groups (and one entry from a server that does not report them), and an explanation with a negative
// contribution — shaped by the shared schemas so a schema change breaks them.
import type { Explanation } from '../../../../shared/schemas/explanations.js';
import type { SlateResponse } from '../../../../shared/schemas/slate.js';

export function fixtureSlate(): SlateResponse {
  return {
    slateId: '0b9c2f0e-6f8e-4c43-9a4e-7d1f2b3c4d5e',
    viewerId: 'demo-00042',
    arm: 'treatment',
    experimentKey: 'discovery_reranker_v2',
    model: 'ranker-20261126-0412-3fa9c1',
    shadowModel: null,
    slate: [
      { userId: 'demo-00007', position: 1, score: 0.91, sources: ['taste'] },
      { userId: 'demo-00011', position: 2, score: 0.52, sources: ['taste', 'community'] },
    ],
    trace: [
      {
        userId: 'demo-00099',
        sources: ['community'],
        retrievalScore: 0.4,
        rankerScore: null,
        ranks: { retrieval: 4, ranker: null, safety: null, diversity: null, final: null },
        removed: null,
        unscored: false,
        maskedGroups: [],
      },
      {
        userId: 'demo-00013',
        sources: ['taste'],
        retrievalScore: 0.88,
        rankerScore: 0.95,
        ranks: { retrieval: 1, ranker: 1, safety: null, diversity: null, final: null },
        removed: { stage: 'safety', reason: 'harassment_score 0.93 > 0.8' },
        unscored: false,
        maskedGroups: [],
      },
      {
        userId: 'demo-00011',
        sources: ['taste', 'community'],
        retrievalScore: 0.61,
        rankerScore: 0.52,
        ranks: { retrieval: 3, ranker: 3, safety: 2, diversity: 2, final: 2 },
        removed: null,
        unscored: true,
        maskedGroups: [
          { group: 'behavioural', by: 'candidate' },
          { group: 'favorites', by: 'both' },
        ],
      },
      {
        userId: 'demo-00007',
        sources: ['taste'],
        retrievalScore: 0.7,
        rankerScore: 0.91,
        ranks: { retrieval: 2, ranker: 2, safety: 1, diversity: 1, final: 1 },
        removed: null,
        unscored: false,
        maskedGroups: [{ group: 'interests', by: 'candidate' }],
      },
      {
        userId: 'demo-00020',
        sources: ['taste'],
        retrievalScore: 0.35,
        rankerScore: 0.3,
        ranks: { retrieval: 5, ranker: 4, safety: 3, diversity: 3, final: null },
        removed: { stage: 'parity', reason: 'parity: man share 0.67 would exceed 0.60' },
        unscored: false,
      },
    ],
    parity: {
      targetShares: { woman: 0.5, man: 0.5 },
      shares: { woman: 0.5, man: 0.5 },
      shortfall: [],
    },
    retrieval: { mode: 'taste', reason: null },
    notes: ['diversity: 3 candidates re-ordered'],
    timings: {
      retrieveMs: 12.5,
      featuresMs: 8,
      rankMs: 4,
      safetyMs: 0.5,
      diversityMs: 2,
      parityMs: 0.5,
      logMs: 2.5,
      totalMs: 30,
    },
  };
}

export function fixtureExplanation(): Explanation {
  return {
    view: 'staff',
    targetId: 'demo-00007',
    viewerId: 'demo-00042',
    model: 'ranker-20261126-0412-3fa9c1',
    reason_en: 'You both love Blade Runner · 3 km away',
    reason_es: 'A ambos os encanta Blade Runner · A 3 km',
    reasons: { en: 'You both love Blade Runner · 3 km away', es: 'A ambos os encanta Blade Runner · A 3 km' },
    features: [
      {
        name: 'distance_km',
        group: 'profile',
        value: 3.2,
        contribution: 0.18,
        reason_en: '3 km away',
        reason_es: 'A 3 km',
        reasons: { en: '3 km away', es: 'A 3 km' },
      },
      {
        name: 'shared_favorites',
        group: 'favorites',
        value: 2,
        contribution: 0.41,
        reason_en: 'You both love Blade Runner',
        reason_es: 'A ambos os encanta Blade Runner',
        reasons: { en: 'You both love Blade Runner', es: 'A ambos os encanta Blade Runner' },
      },
      {
        name: 'age_gap_years',
        group: 'profile',
        value: 9,
        contribution: -0.25,
        reason_en: '9 years apart',
        reason_es: '9 años de diferencia',
        reasons: { en: '9 years apart', es: '9 años de diferencia' },
      },
    ],
    chips: [{ en: 'Both appreciate Blade Runner', es: 'A ambos les gusta Blade Runner' }],
    expectedValue: -0.12,
    score: 0.22,
  };
}
