// How a fetched record joins a catalogue row: fields the source has replace (or, for lists of names,
// extend) what is there; keys the source says nothing about — another source's, another module's —
// stay; and `sources.<source>` records when the source was last asked and what it said.
import type { MetadataRecord, MetadataSource, MetadataSourceState } from '../../shared/schemas/metadata.js';

type Metadata = Record<string, unknown>;

function unionIgnoringCase(first: unknown, second: readonly string[]): string[] {
  const merged: string[] = [];
  const seen = new Set<string>();
  const existing: unknown[] = Array.isArray(first) ? first : [];
  for (const value of [...existing, ...second]) {
    if (typeof value !== 'string') continue;
    const key = value.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(value);
  }
  return merged;
}

function withSourceState(metadata: Metadata, source: MetadataSource, state: MetadataSourceState): Metadata {
  const sources = metadata.sources !== null && typeof metadata.sources === 'object' ? metadata.sources : {};
  return { ...metadata, sources: { ...sources, [source]: state } };
}

export function mergeMetadata(existing: Metadata, record: MetadataRecord): Metadata {
  const merged: Metadata = { ...existing };
  if (record.genres.length > 0) merged.genres = unionIgnoringCase(existing.genres, record.genres);
  if (record.synopsis !== null) merged.synopsis = record.synopsis;
  if (record.people.length > 0) merged.people = record.people;
  if (record.language !== null) merged.language = record.language;
  if (record.runtimeMinutes !== undefined) merged.runtimeMinutes = record.runtimeMinutes;
  if (record.isrcs && record.isrcs.length > 0) merged.isrcs = unionIgnoringCase(existing.isrcs, record.isrcs);
  const externalIds =
    existing.externalIds !== null && typeof existing.externalIds === 'object' ? existing.externalIds : {};
  merged.externalIds = { ...externalIds, ...record.externalIds };
  return withSourceState(merged, record.source, {
    outcome: 'merged',
    fetchedAt: record.fetchedAt,
    sourceId: record.sourceId,
  });
}

/** The source does not know the work: remembered, so operators see it and the job is not retried. */
export function markNotFound(existing: Metadata, source: MetadataSource, checkedAt: string): Metadata {
  return withSourceState(existing, source, { outcome: 'not_found', fetchedAt: checkedAt });
}

/** Titles the record knows the work by that the row does not list yet (its title included). */
export function newAliases(title: string, aliases: readonly string[], record: MetadataRecord): string[] {
  const known = new Set([title, ...aliases].map((a) => a.toLowerCase()));
  const added: string[] = [];
  for (const candidate of [record.title, ...(record.aliases ?? [])]) {
    const alias = candidate.trim().slice(0, 500);
    if (alias === '' || known.has(alias.toLowerCase())) continue;
    known.add(alias.toLowerCase());
    added.push(alias);
  }
  return added;
}
