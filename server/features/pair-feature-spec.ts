// The one list of (viewer, candidate) pair features. Training-data export, serving and explanations
// all read feature columns through this spec, so a model's column i means the same thing everywhere
// and the three cannot drift apart. Each feature belongs to a feature group; a member who opts out of
// a group has every feature of that group masked (set to 0, LibSVM's "absent") for pairs they are in.
// `profile` features (distance, age, completeness) come from the attributes discovery itself needs and
// are never masked.

import { PRIVACY_GROUPS } from '../../shared/schemas/privacy.js';

/** The groups a member can withhold (PATCH /api/v2/discovery/privacy); the one list is the privacy schema's. */
export const MASKABLE_GROUPS = PRIVACY_GROUPS;
export type MaskableGroup = (typeof MASKABLE_GROUPS)[number];
export type FeatureGroup = MaskableGroup | 'profile';

export interface PairFeatureDefinition {
  name: string;
  group: FeatureGroup;
  /** What the value means, for model cards and the console. */
  description: string;
}

/** Bump when a feature is added, removed, reordered or changes meaning: models record the version they were trained on. */
export const PAIR_FEATURES_VERSION = 'pair-features-v1';

export const PAIR_FEATURES = [
  { name: 'taste_cosine', group: 'favorites', description: 'cosine similarity of the two taste vectors' },
  {
    name: 'reverse_affinity',
    group: 'behavioural',
    description: "cosine of the viewer's taste with the mean taste of the members the candidate liked",
  },
  { name: 'shared_favorites', group: 'favorites', description: 'number of favorites both members have' },
  {
    name: 'shared_favorites_idf',
    group: 'favorites',
    description: 'shared favorites weighted by rarity: sum of ln(members / members with the favorite)',
  },
  {
    name: 'shared_connector_favorites',
    group: 'connectors',
    description: 'shared favorites that came in through a connector (e.g. Spotify) on both sides',
  },
  { name: 'hobbies_jaccard', group: 'interests', description: 'Jaccard overlap of the two hobby lists' },
  { name: 'communities_jaccard', group: 'interests', description: 'Jaccard overlap of the two community lists' },
  { name: 'distance_km', group: 'profile', description: 'great-circle distance in km (capped at 20,000)' },
  { name: 'age_gap_years', group: 'profile', description: 'absolute age difference in years' },
  {
    name: 'candidate_dwell_avg_ms',
    group: 'behavioural',
    description: "average time members spent on the candidate's profile in the last 7 days (user_dwell_avg)",
  },
  {
    name: 'candidate_like_rate',
    group: 'behavioural',
    description: 'share of swipes on the candidate in 90 days that were likes or superlikes (smoothed)',
  },
  { name: 'profile_completeness', group: 'profile', description: "share of the candidate's profile fields filled in" },
  {
    name: 'candidate_days_inactive',
    group: 'behavioural',
    description: 'days since the candidate was last active (capped at 365)',
  },
] as const satisfies readonly PairFeatureDefinition[];

export type PairFeatureName = (typeof PAIR_FEATURES)[number]['name'];
export const PAIR_FEATURE_NAMES: readonly string[] = PAIR_FEATURES.map((feature) => feature.name);
export const PAIR_FEATURE_COUNT = PAIR_FEATURES.length;

/** The feature spec as stored with a model version (`model_versions.feature_spec`). */
export function featureSpecRecord(): { version: string; features: PairFeatureDefinition[] } {
  return { version: PAIR_FEATURES_VERSION, features: PAIR_FEATURES.map((feature) => ({ ...feature })) };
}
