// ModelRegistry on a real database, without HTTP: what registration refuses (by kind and field), the
// first-model bootstrap when two registrations race for live (the database's one-live index decides),
// promotions that displace the current live or shadow model, the refusals that keep ranking served,
// and rollback to the previous live model, a second rollback undoing the first. The tests run in order
// over one registry: there is one model kind, so each step starts from what the previous one left.
import { describe, expect, it } from 'vitest';
import { PAIR_FEATURE_NAMES } from '../../server/features/pair-feature-spec.js';
import { ModelRegistry } from '../../server/models/model-registry.service.js';
import { databaseKinds } from '../support/databases.js';
import { hobbyRankerModel } from '../support/feedback.js';
import { refusalOf, serviceHarness } from '../support/service-harness.js';

/** The hobby ranker with its columns renamed: a model over other features may be stored, never served. */
const foreignModel = hobbyRankerModel().replace(
  /^feature_names=.*$/m,
  `feature_names=${PAIR_FEATURE_NAMES.map((name) => `other_${name}`).join(' ')}`,
);

describe.each(databaseKinds)('ModelRegistry [%s]', (kind) => {
  const harness = serviceHarness(kind);
  let registry: ModelRegistry;
  const artifact = hobbyRankerModel();
  const register = (id: string, status?: 'candidate' | 'live', model = artifact) =>
    registry.register({ id, format: 'lightgbm', artifact: model, createdBy: 'trainer', status });
  const subjectOf = (error: { kind: string; field?: string; topic?: string }) => ({
    kind: error.kind,
    about: error.field ?? error.topic,
  });

  it('refuses artifacts it cannot serve or store, and rolling back with nothing live', async () => {
    registry = new ModelRegistry(harness.db, harness.repositories.models);
    const refusals = [
      [() => register('m-nul', 'candidate', `${artifact}\u0000`), 'invalid', 'artifact'],
      [() => register('m-garbage', 'candidate', 'not a model'), 'invalid', 'artifact'],
      [() => register('m-foreign-live', 'live', foreignModel), 'conflict', 'status'],
      [
        () =>
          registry.register({
            id: 'm-window',
            format: 'lightgbm',
            artifact,
            createdBy: 'trainer',
            trainingWindow: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
          }),
        'malformed',
        'trainingWindow',
      ],
      [() => registry.rollback('ranker', 'admin'), 'conflict', 'kind'],
      [() => registry.promote('m-unknown', 'shadow', 'admin'), 'not_found', 'id'],
      [() => registry.get('m-unknown'), 'not_found', 'id'],
    ] as const;
    for (const [work, expectedKind, field] of refusals) {
      const error = await refusalOf(work);
      expect({ kind: error.kind, field: error.field }).toEqual({ kind: expectedKind, field });
    }
    expect(await registry.list()).toEqual([]);
    expect(await registry.liveModel()).toBeNull();
  });

  it('lets exactly one of two racing first models go live; the other is refused as a conflict', async () => {
    const outcomes = await Promise.allSettled([register('m-first-a', 'live'), register('m-first-b', 'live')]);
    const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const rejected = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(subjectOf(rejected[0])).toEqual({ kind: 'conflict', about: 'status' });
    expect(await registry.list({ status: 'live' })).toHaveLength(1);

    const liveId = (await registry.liveModel())!.id;
    const only = await refusalOf(registry.rollback('ranker', 'admin'));
    expect({ kind: only.kind, field: only.field }).toEqual({ kind: 'conflict', field: 'kind' });
    const again = await refusalOf(register(liveId));
    expect({ kind: again.kind, field: again.field }).toEqual({ kind: 'conflict', field: 'id' });
  });

  it('promotes through shadow to live, displacing the current holder of each status', async () => {
    const firstLive = (await registry.liveModel())!.id;
    await register('m-shadow-1');
    await register('m-shadow-2');
    await register('m-foreign', 'candidate', foreignModel);

    expect((await registry.promote('m-shadow-1', 'shadow', 'admin')).demoted).toBeNull();
    const displacedShadow = await registry.promote('m-shadow-2', 'shadow', 'admin', 'better offline ndcg');
    expect(displacedShadow.demoted).toEqual({ id: 'm-shadow-1', from: 'shadow', to: 'candidate' });
    expect((await registry.shadowModel())?.id).toBe('m-shadow-2');

    const promoted = await registry.promote('m-shadow-2', 'live', 'admin');
    expect(promoted.model.status).toBe('live');
    expect(promoted.demoted).toEqual({ id: firstLive, from: 'live', to: 'retired' });
    expect((await registry.liveModel())?.id).toBe('m-shadow-2');
    expect(await registry.shadowModel()).toBeNull();

    const refusals = [
      [() => registry.promote('m-shadow-2', 'live', 'admin'), 'to'],
      [() => registry.promote('m-shadow-2', 'candidate', 'admin'), 'to'],
      [() => registry.promote('m-foreign', 'shadow', 'admin'), 'to'],
    ] as const;
    for (const [work, field] of refusals) {
      const error = await refusalOf(work);
      expect({ kind: error.kind, field: error.field }).toEqual({ kind: 'conflict', field });
    }
    expect((await registry.get('m-foreign')).status).toBe('candidate');
    expect((await registry.get('m-foreign')).features).not.toEqual([...PAIR_FEATURE_NAMES]);
  });

  it('rolls back to the previous live model, and a second rollback undoes the first', async () => {
    const current = (await registry.liveModel())!.id;
    const [previous] = (await registry.list({ status: 'retired' })).map((version) => version.id);

    const rolledBack = await registry.rollback('ranker', 'admin');
    expect({ live: rolledBack.live.id, retired: rolledBack.retired.id }).toEqual({ live: previous, retired: current });
    expect((await registry.liveModel())?.id).toBe(previous);

    const undone = await registry.rollback('ranker', 'admin', 'the new one was fine');
    expect({ live: undone.live.id, retired: undone.retired.id }).toEqual({ live: current, retired: previous });
    const history = (await registry.get(current)).history.map((change) => [change.from, change.to, change.note]);
    expect(history).toEqual([
      [null, 'candidate', null],
      ['candidate', 'shadow', 'better offline ndcg'],
      ['shadow', 'live', null],
      ['live', 'retired', `rollback from ${current}`],
      ['retired', 'live', 'the new one was fine'],
    ]);
  });
});
