// GET /api/v2/discovery/slate on each database: the whole pipeline through the API — safety removes
// and reports, parity holds the band, impressions are logged, the trace explains every candidate to
// staff and only the served ones to members — and the `discovery_reranker_v2` arms: control, treatment,
// shadow (both rankings logged) and holdout, each viewer's exposure logged once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlateResponse } from '../../shared/schemas/slate.js';
import { databaseKinds } from '../support/databases.js';
import { hobbyRankerModel } from '../support/feedback.js';
import { seedSlatePopulation, type SlatePopulation } from '../support/slate-population.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { tinyRankerModel } from '../support/route-examples/models.js';
import { registerRanker } from '../support/register-ranker.js';

const SLATE = '/api/v2/discovery/slate';
const FLAG = '/api/v2/admin/flags/discovery_reranker_v2';

describe.each(databaseKinds)('GET /api/v2/discovery/slate [%s]', (kind) => {
  let t: TestApp;
  let population: SlatePopulation;
  let member: string;
  let reviewer: string;
  let engineer: string;

  async function slate(query: string, token: string) {
    const response = await t.app.inject({ method: 'GET', url: `${SLATE}${query}`, headers: bearer(token) });
    return { status: response.statusCode, body: response.json<SlateResponse & { message?: string }>() };
  }

  async function forceArm(arms: string[], weights: number[]) {
    const response = await t.app.inject({
      method: 'PUT',
      url: FLAG,
      headers: bearer(engineer),
      payload: {
        defaultValue: 'control',
        rules: [{ key: 'reranker-v2', variations: arms, weights, hashAttribute: 'id' }],
      },
    });
    expect(response.statusCode, response.body).toBe(200);
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    population = await seedSlatePopulation(t.scratch.db);
    member = await t.token('member', population.viewerId);
    reviewer = await t.token('reviewer', 'reviewer-1');
    engineer = await t.token('ml_engineer', 'ml-1');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves a slate in retrieval order while no model is live, and says so', async () => {
    const { status, body } = await slate('?limit=8', member);
    expect(status).toBe(200);
    expect(body.model).toBeNull();
    expect(body.arm).toBe('control');
    expect(body.notes).toContain('no live ranking model: served in retrieval order');
    expect(body.slate).toHaveLength(8);
  });

  it('runs every stage: nobody above the harassment threshold, parity within the band, impressions logged', async () => {
    await registerRanker(t.app.engine.models, 'slate-live', hobbyRankerModel(), 'live');
    const { status, body } = await slate(`?limit=12&viewerId=${population.viewerId}`, reviewer);
    expect(status).toBe(200);
    expect(body.model).toBe('slate-live');
    expect(body.slate.map((entry) => entry.position)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const served = body.slate.map((entry) => entry.userId);
    expect(served.some((id) => population.harassing.includes(id))).toBe(false);

    // Staff see every candidate; the harassing ones are out at the safety stage, with the reason.
    expect(body.trace).toHaveLength(population.candidateIds.length);
    for (const id of population.harassing) {
      const entry = body.trace.find((candidate) => candidate.userId === id)!;
      expect(entry.removed).toEqual({
        stage: 'safety',
        reason: expect.stringMatching(/harassment_score 0\.93 > 0\.8/),
      });
      expect(entry.ranks.safety).toBeNull();
      expect(entry.ranks.retrieval).toBeGreaterThan(0);
    }
    expect(
      body.trace
        .filter((entry) => entry.unscored)
        .map((entry) => entry.userId)
        .sort(),
    ).toEqual([...population.unscored].sort());
    const finalRanks = body.trace.filter((entry) => entry.ranks.final !== null);
    expect(finalRanks).toHaveLength(12);

    // Parity: each gender's share within ±10 points of its share of the eligible pool, or a reported shortfall.
    for (const [gender, target] of Object.entries(body.parity.targetShares)) {
      const share = body.parity.shares[gender] ?? 0;
      const inBand = Math.abs(share - target) <= 0.1 + 1e-9;
      expect(inBand || body.parity.shortfall.some((entry) => entry.gender === gender)).toBe(true);
    }
    for (const stage of [
      'retrieveMs',
      'featuresMs',
      'rankMs',
      'safetyMs',
      'diversityMs',
      'parityMs',
      'totalMs',
    ] as const) {
      expect(body.timings[stage]).toBeGreaterThanOrEqual(0);
    }

    const { rows } = await t.scratch.db.query<{
      candidate_id: string;
      position: number;
      model_version: string;
      arm: string;
    }>(
      'SELECT candidate_id, position, model_version, arm FROM slate_impressions WHERE slate_id = $1 ORDER BY position',
      [body.slateId],
    );
    expect(rows.map((row) => row.candidate_id)).toEqual(served);
    expect(rows.every((row) => row.model_version === 'slate-live' && row.arm === 'control')).toBe(true);
  });

  it('shows a member their own slate with the trace of what they were served only', async () => {
    const { status, body } = await slate('?limit=6', member);
    expect(status).toBe(200);
    expect(body.trace.map((entry) => entry.userId).sort()).toEqual(body.slate.map((entry) => entry.userId).sort());
    expect(body.trace.every((entry) => entry.removed === null)).toBe(true);
  });

  it('tells a reviewer which feature groups were masked for each candidate and by whom; never a member', async () => {
    const candidate = population.candidateIds.find((id) => !population.harassing.includes(id))!;
    await t.scratch.db.query('UPDATE members SET share_interests = false WHERE id = $1', [candidate]);
    try {
      const { status, body } = await slate(`?limit=12&viewerId=${population.viewerId}`, reviewer);
      expect(status).toBe(200);
      const entry = body.trace.find((traced) => traced.userId === candidate)!;
      expect(entry.maskedGroups).toEqual([{ group: 'interests', by: 'candidate' }]);
      const others = body.trace.filter((traced) => traced.userId !== candidate);
      expect(others.every((traced) => traced.maskedGroups?.length === 0)).toBe(true);
      // Members' slates are built field by field (slate-view.ts): who opted out of what stays private.
      const own = await slate('?limit=12', member);
      expect(own.body.trace.every((traced) => traced.maskedGroups === undefined)).toBe(true);
    } finally {
      await t.scratch.db.query('UPDATE members SET share_interests = true WHERE id = $1', [candidate]);
    }
  });

  it('refuses a member asking for someone else’s slate, and bad limits', async () => {
    const other = await slate(`?viewerId=${population.otherViewerId}`, member);
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/^querystring\.viewerId: role "member" may only/);
    for (const limit of ['0', '101', 'ten']) {
      const bad = await slate(`?limit=${limit}`, member);
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^querystring\.limit/);
    }
    const unknown = await slate('?viewerId=nobody', reviewer);
    expect(unknown.status).toBe(404);
  });

  it('serves the holdout arm in retrieval order and logs the exposure once', async () => {
    await forceArm(['holdout', 'control'], [1, 0]);
    t.app.engine.flags.invalidate();
    const first = await slate('?limit=5', member);
    const second = await slate('?limit=5', member);
    expect(first.body.arm).toBe('holdout');
    expect(first.body.experimentKey).toBe('reranker-v2');
    expect(first.body.model).toBeNull();
    expect(second.body.arm).toBe('holdout');
    const exposures = await t.scratch.db.query<{ arm: string }>(
      `SELECT arm FROM experiment_exposures WHERE experiment_key = 'reranker-v2' AND viewer_id = $1`,
      [population.viewerId],
    );
    expect(exposures.rows).toEqual([{ arm: 'holdout' }]);
    const counts = await t.app.inject({
      method: 'GET',
      url: '/api/v2/admin/experiments/reranker-v2',
      headers: bearer(engineer),
    });
    expect(counts.json<{ arms: Array<{ arm: string; viewers: number }> }>().arms).toContainEqual(
      expect.objectContaining({ arm: 'holdout', viewers: 1 }),
    );
  });

  it('scores the candidate model on the side in the shadow arm and serves it in the treatment arm', async () => {
    await registerRanker(t.app.engine.models, 'slate-candidate', tinyRankerModel(0.9));
    await t.app.engine.models.promote('slate-candidate', 'shadow', 'test');
    await forceArm(['control', 'treatment', 'shadow', 'holdout'], [0, 0, 1, 0]);
    t.app.engine.flags.invalidate();
    const shadow = await slate(`?limit=5&viewerId=${population.otherViewerId}`, reviewer);
    expect(shadow.body).toMatchObject({ arm: 'shadow', model: 'slate-live', shadowModel: 'slate-candidate' });
    const logged = await t.scratch.db.query<{ served_order: string[]; shadow_order: string[]; shadow_model: string }>(
      'SELECT served_order, shadow_order, shadow_model FROM shadow_rankings WHERE slate_id = $1',
      [shadow.body.slateId],
    );
    expect(logged.rows).toHaveLength(1);
    expect(logged.rows[0]!.shadow_model).toBe('slate-candidate');
    expect([...logged.rows[0]!.shadow_order].sort()).toEqual([...logged.rows[0]!.served_order].sort());

    await forceArm(['control', 'treatment', 'shadow', 'holdout'], [0, 1, 0, 0]);
    t.app.engine.flags.invalidate();
    const treatment = await slate('?limit=5&viewerId=slate-c03', reviewer);
    expect(treatment.body).toMatchObject({ arm: 'treatment', model: 'slate-candidate', shadowModel: null });
  });

  it('rejects flag definitions the experiment could not use, naming the field', async () => {
    const put = (payload: unknown) =>
      t.app.inject({ method: 'PUT', url: FLAG, headers: bearer(engineer), payload: payload as object });
    const badArm = await put({
      defaultValue: 'control',
      rules: [{ key: 'x', variations: ['control', 'turbo'], weights: [0.5, 0.5] }],
    });
    expect(badArm.statusCode).toBe(422);
    expect(badArm.json<{ message: string }>().message).toMatch(
      /^body\.rules\[0\]\.variations\[1\]: must be one of control/,
    );
    const badWeights = await put({
      defaultValue: 'control',
      rules: [{ key: 'x', variations: ['control', 'holdout'], weights: [0.5, 0.2] }],
    });
    expect(badWeights.json<{ message: string }>().message).toMatch(/^body\.rules\[0\]\.weights: must add up to 1/);
    const noKey = await put({ defaultValue: 'control', rules: [{ variations: ['control', 'holdout'] }] });
    expect(noKey.json<{ message: string }>().message).toMatch(/^body\.rules\[0\]\.key/);
    const unknownField = await put({ defaultValue: 'control', enabled: true });
    expect(unknownField.statusCode).toBe(400);
    const forbidden = await t.app.inject({
      method: 'PUT',
      url: FLAG,
      headers: bearer(member),
      payload: { defaultValue: 'control' },
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('deletes a flag (callers fall back to control) and 404s one that does not exist', async () => {
    const deleted = await t.app.inject({ method: 'DELETE', url: FLAG, headers: bearer(engineer) });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json<{ features: Record<string, unknown> }>().features).not.toHaveProperty('discovery_reranker_v2');
    t.app.engine.flags.invalidate();
    expect((await slate('?limit=3', member)).body.arm).toBe('control');
    const again = await t.app.inject({ method: 'DELETE', url: FLAG, headers: bearer(engineer) });
    expect(again.statusCode).toBe(404);
    expect(again.json<{ message: string }>().message).toBe('params.key: no flag "discovery_reranker_v2"');
  });
});
