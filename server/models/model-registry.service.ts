// The model registry: stores model versions (artifact in the database, so every replica serves the same
// bytes), moves them between candidate / shadow / live / retired under row locks, rolls back to the
// previous live model, and hands the rank and slate code the live (or shadow) model ready to score.
// Exactly one live model per kind is enforced by the database (index model_versions_one_live); this
// service checks first for clear messages and turns the index's verdict in a race into a 409.
import { randomBytes } from 'node:crypto';
import type {
  ModelDetail,
  ModelFormat,
  ModelKind,
  ModelStatus,
  ModelVersion,
  PromoteResult,
  RollbackResult,
  StatusTransition,
} from '../../shared/schemas/models.js';
import { MODEL_LIMITS } from '../../shared/schemas/models.js';
import type { Database, Queryable } from '../db/database.js';
import { PAIR_FEATURE_NAMES, featureSpecRecord } from '../features/pair-feature-spec.js';
import { conflict, DomainError, invalid, malformed, notFound as noSuch } from '../errors/domain-errors.js';
import { featureImportance } from '../lib/ranker/feature-importance.js';
import { ModelFormatError } from '../lib/ranker/model-errors.js';
import { ParsedModelCache, featureMismatch, prepareModel, type LoadedModel, type ParsedModel } from './loaded-model.js';
import { type ModelRegistryRepository, type LockedVersion } from './model-registry.repository.js';

/** Parsed models kept in memory: live + shadow + a few being inspected or compared. */
export const PARSED_MODEL_CACHE_ENTRIES = 8;

export interface RegisterModelInput {
  id?: string;
  kind?: ModelKind;
  format: ModelFormat;
  artifact: string;
  params?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  /** Recorded as given; when absent and the model's columns are the pair features, the current spec is recorded. */
  featureSpec?: unknown;
  trainingWindow?: { from: string; to: string } | null;
  createdBy: string;
  /** `live` only when the kind has no live model yet (the first-model bootstrap). */
  status?: 'candidate' | 'live';
  note?: string;
}

/** Statuses that serve traffic (live) or see it (shadow): their models must read the current pair features. */
const SERVING_STATUSES: readonly ModelStatus[] = ['live', 'shadow'];

export class ModelRegistry {
  private readonly parsed = new ParsedModelCache(PARSED_MODEL_CACHE_ENTRIES);

  constructor(
    private readonly db: Database,
    private readonly repository: ModelRegistryRepository,
  ) {}

  /** Stores a new version after parsing its artifact; runs in `tx` when given (e.g. with a training run's bookkeeping). */
  async register(input: RegisterModelInput, tx?: Queryable): Promise<ModelVersion> {
    const kind = input.kind ?? 'ranker';
    const status = input.status ?? 'candidate';
    const id = input.id ?? generateModelId(kind);
    if (input.artifact.includes('\u0000')) {
      throw invalid('artifact', 'contains a NUL character; model files are text');
    }
    if (Buffer.byteLength(input.artifact, 'utf8') > MODEL_LIMITS.maxArtifactBytes) {
      throw invalid('artifact', `is larger than ${MODEL_LIMITS.maxArtifactBytes} bytes`);
    }
    const window = input.trainingWindow ?? null;
    if (window && Date.parse(window.from) > Date.parse(window.to)) {
      throw malformed('trainingWindow', '"from" is after "to"');
    }
    let model: ParsedModel;
    try {
      model = prepareModel(id, input.format, input.artifact);
    } catch (error) {
      if (error instanceof ModelFormatError) throw invalid('artifact', error.message);
      throw error;
    }
    const mismatch = featureMismatch(model.featureNames, PAIR_FEATURE_NAMES);
    if (status === 'live' && mismatch) {
      throw conflict('status', `a model whose features differ cannot be live: ${mismatch}`);
    }
    const featureSpec = input.featureSpec ?? (mismatch ? null : featureSpecRecord());

    const work = async (q: Queryable): Promise<ModelVersion> => {
      if (await this.repository.exists(q, id)) {
        throw conflict('id', `a model version "${id}" already exists`);
      }
      if (status === 'live' && (await this.repository.idWithStatus(q, kind, 'live'))) {
        throw conflict('status', `a ${kind} model is already live; register as candidate and promote it`);
      }
      await this.repository.insert(q, {
        id,
        kind,
        status,
        format: input.format,
        artifact: input.artifact,
        params: input.params ?? {},
        metrics: input.metrics ?? {},
        featureSpec,
        trainingWindow: window,
        createdBy: input.createdBy,
      });
      await this.repository.recordChange(q, {
        id,
        from: null,
        to: status,
        actor: input.createdBy,
        note: input.note ?? null,
      });
      return (await this.repository.find(q, id))!;
    };
    const stored = await this.conflictsAs409(() => (tx ? work(tx) : this.db.transaction(work)), id);
    this.parsed.set(model);
    return withoutSpec(stored);
  }

  async list(filter: { kind?: ModelKind; status?: ModelStatus } = {}): Promise<ModelVersion[]> {
    return this.repository.list(this.db, filter);
  }

  /** One version with its history, feature columns and gain importance; 404 when unknown. */
  async get(id: string): Promise<ModelDetail> {
    const version = await this.repository.find(this.db, id);
    if (!version) throw notFound(id);
    const [history, parsed] = await Promise.all([this.repository.history(this.db, id), this.parsedModel(id)]);
    return {
      ...version,
      featureSpec: version.featureSpec ?? null,
      features: [...parsed.featureNames],
      trees: parsed.ensemble.trees.length,
      featureImportance: featureImportance(parsed.ensemble, 'gain').slice(0, MODEL_LIMITS.importanceTop),
      history,
    };
  }

  /** The stored artifact exactly as it was registered. */
  async artifact(id: string): Promise<{ text: string; format: ModelFormat }> {
    const found = await this.repository.artifact(this.db, id);
    if (!found) throw notFound(id);
    return { text: found.text, format: found.format };
  }

  /**
   * Moves a version to `to` in one transaction. Live and shadow are single per kind: the current live
   * model is retired, the current shadow goes back to candidate; both changes are recorded.
   */
  async promote(id: string, to: ModelStatus, actor: string, note?: string): Promise<PromoteResult> {
    const current = await this.repository.statusOf(this.db, id);
    if (!current) throw notFound(id);
    if (SERVING_STATUSES.includes(to)) {
      // Artifacts never change, so checking the columns before taking the locks is safe.
      const mismatch = featureMismatch((await this.parsedModel(id)).featureNames, PAIR_FEATURE_NAMES);
      if (mismatch) throw conflict('to', `model "${id}" cannot become ${to}: ${mismatch}`);
    }
    return this.conflictsAs409(() =>
      this.db.transaction(async (tx) => {
        const locked = await this.repository.lockForStatusChange(tx, current.kind, [id]);
        const target = locked.find((version) => version.id === id);
        if (!target) throw notFound(id);
        if (target.status === to) throw conflict('to', `model "${id}" is already ${to}`);
        if (target.status === 'live') {
          // Leaving the kind without a live model would leave ranking without one.
          throw conflict(
            'to',
            `model "${id}" is live; promote another model to live or roll back instead of moving it to ${to}`,
          );
        }
        let demoted: StatusTransition | null = null;
        const displaced = SERVING_STATUSES.includes(to)
          ? locked.find((version) => version.id !== id && version.status === to)
          : undefined;
        if (displaced) {
          demoted = { id: displaced.id, from: to, to: to === 'live' ? 'retired' : 'candidate' };
          await this.move(tx, displaced, demoted.to, actor, note ?? `displaced by ${id}`);
        }
        await this.move(tx, target, to, actor, note ?? null);
        const model = (await this.repository.find(tx, id))!;
        return { model: withoutSpec(model), demoted };
      }),
    );
  }

  /**
   * Makes the previously live version of the kind live again and retires the current one. The previous
   * one is the version most recently made live other than the current (so a second rollback undoes the first).
   */
  async rollback(kind: ModelKind, actor: string, note?: string): Promise<RollbackResult> {
    const liveId = await this.repository.idWithStatus(this.db, kind, 'live');
    if (!liveId) throw conflict('kind', `no ${kind} model is live, so there is nothing to roll back`);
    const previousId = await this.repository.previousLiveId(this.db, kind, liveId);
    if (!previousId) {
      throw conflict(
        'kind',
        `no earlier live ${kind} model to roll back to ("${liveId}" is the only one that has been live, or the earlier ones were deleted)`,
      );
    }
    const mismatch = featureMismatch((await this.parsedModel(previousId)).featureNames, PAIR_FEATURE_NAMES);
    if (mismatch) {
      throw conflict('kind', `the previous live model "${previousId}" cannot become live again: ${mismatch}`);
    }
    return this.conflictsAs409(() =>
      this.db.transaction(async (tx) => {
        const locked = await this.repository.lockForStatusChange(tx, kind, [liveId, previousId]);
        const live = locked.find((version) => version.id === liveId);
        const previous = locked.find((version) => version.id === previousId);
        // Another change committed between the checks above and the locks: ask the caller to look again.
        if (!live || live.status !== 'live' || !previous) {
          throw conflict('kind', `the live ${kind} model changed meanwhile; reload and retry`);
        }
        const rollbackNote = note ?? `rollback from ${liveId}`;
        await this.move(tx, live, 'retired', actor, rollbackNote);
        await this.move(tx, previous, 'live', actor, rollbackNote);
        return {
          live: withoutSpec((await this.repository.find(tx, previousId))!),
          retired: withoutSpec((await this.repository.find(tx, liveId))!),
        };
      }),
    );
  }

  /** The live model of the kind, ready to score; asks the database every call so promotions elsewhere show at once. */
  async liveModel(kind: ModelKind = 'ranker'): Promise<LoadedModel | null> {
    return this.modelWithStatus(kind, 'live');
  }

  /** The shadow model of the kind (scored beside the live one, never served), or null. */
  async shadowModel(kind: ModelKind = 'ranker'): Promise<LoadedModel | null> {
    return this.modelWithStatus(kind, 'shadow');
  }

  /** Any version, ready to score; 404 when unknown. */
  async loadModel(id: string): Promise<LoadedModel> {
    const current = await this.repository.statusOf(this.db, id);
    if (!current) throw notFound(id);
    return { ...(await this.parsedModel(id)), status: current.status };
  }

  private async modelWithStatus(kind: ModelKind, status: 'live' | 'shadow'): Promise<LoadedModel | null> {
    const id = await this.repository.idWithStatus(this.db, kind, status);
    return id ? { ...(await this.parsedModel(id)), status } : null;
  }

  private async parsedModel(id: string): Promise<ParsedModel> {
    const cached = this.parsed.get(id);
    if (cached) return cached;
    const stored = await this.repository.artifact(this.db, id);
    if (!stored) throw notFound(id);
    const model = prepareModel(id, stored.format, stored.text);
    this.parsed.set(model);
    return model;
  }

  private async move(
    tx: Queryable,
    version: LockedVersion,
    to: ModelStatus,
    actor: string,
    note: string | null,
  ): Promise<void> {
    await this.repository.setStatus(tx, version.id, to, actor);
    await this.repository.recordChange(tx, { id: version.id, from: version.status, to, actor, note });
    version.status = to;
  }

  /**
   * The database has the last word on "one live per kind" and on unique ids: when two changes race past
   * the checks, the loser's unique violation (or deadlock / serialisation failure) becomes a 409.
   */
  private async conflictsAs409<T>(work: () => Promise<T>, id?: string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const constraint = (error as { constraint?: unknown }).constraint;
      if (code === '23505' && constraint === 'model_versions_pkey') {
        throw conflict('id', `a model version "${id ?? ''}" already exists`);
      }
      if (code === '23505') {
        throw new DomainError(
          'conflict',
          'another change made a different model live at the same time (only one may be live); reload and retry',
          { topic: 'status' },
        );
      }
      if (code === '40P01' || code === '40001') {
        throw new DomainError('conflict', 'a concurrent model status change conflicted with this one; retry', {
          topic: 'status',
        });
      }
      throw error;
    }
  }
}

/** e.g. ranker-20261126-0412-3fa9c1: sortable by creation minute, unique by the random suffix. */
export function generateModelId(kind: ModelKind, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '');
  return `${kind}-${stamp.slice(0, 8)}-${stamp.slice(9, 13)}-${randomBytes(3).toString('hex')}`;
}

function notFound(id: string): DomainError {
  return noSuch('id', `no model version "${id}"`);
}

function withoutSpec(version: ModelVersion & { featureSpec?: unknown }): ModelVersion {
  const copy = { ...version };
  delete copy.featureSpec;
  return copy;
}
