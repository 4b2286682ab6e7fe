// Connectors (Spotify first): starting an import and reading each connector's sync status, as the API
// and the console's favorites screen see them.
import { Type, type Static } from '@sinclair/typebox';

export const CONNECTORS = ['spotify'] as const;
export type ConnectorName = (typeof CONNECTORS)[number];

export const CONNECTOR_STATES = ['idle', 'syncing', 'done', 'error'] as const;
export type ConnectorState = (typeof CONNECTOR_STATES)[number];

export const SpotifyImportInput = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 2048,
      pattern: '^[A-Za-z0-9._~-]+$',
      description: 'the authorization code Spotify appended to the redirect URI',
    }),
    redirectUri: Type.String({
      minLength: 1,
      maxLength: 2048,
      pattern: '^https?://\\S+$',
      description: 'the exact redirect URI the authorization request used (Spotify compares them)',
    }),
  },
  { $id: 'SpotifyImportInput', additionalProperties: false },
);
export type SpotifyImportInput = Static<typeof SpotifyImportInput>;

/** What the current (or last) sync did; all zero before the first page. */
export const ConnectorCounts = Type.Object(
  {
    pages: Type.Integer({ minimum: 0 }),
    tracksSeen: Type.Integer({ minimum: 0 }),
    matched: Type.Integer({ minimum: 0, description: 'tracks resolved to a catalogue recording' }),
    favoritesAdded: Type.Integer({ minimum: 0, description: 'matched tracks that were not favorites yet' }),
    unmatched: Type.Integer({ minimum: 0, description: 'tracks with no catalogue recording (kept in the raw page)' }),
    overLimit: Type.Integer({
      minimum: 0,
      description: 'matched tracks not added because the member already keeps the maximum number of favorites',
    }),
  },
  { additionalProperties: false },
);
export type ConnectorCounts = Static<typeof ConnectorCounts>;

export const ConnectorStatus = Type.Object(
  {
    connector: Type.Union(CONNECTORS.map((name) => Type.Literal(name))),
    state: Type.Union(
      CONNECTOR_STATES.map((state) => Type.Literal(state)),
      {
        description: 'idle: never connected; syncing: an import is queued or running; done; error (see lastError)',
      },
    ),
    counts: ConnectorCounts,
    lastSyncAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ConnectorStatus = Static<typeof ConnectorStatus>;

export const ConnectorStatusList = Type.Object(
  { connectors: Type.Array(ConnectorStatus) },
  { $id: 'ConnectorStatusList', additionalProperties: false },
);
export type ConnectorStatusList = Static<typeof ConnectorStatusList>;

export function emptyCounts(): ConnectorCounts {
  return { pages: 0, tracksSeen: 0, matched: 0, favoritesAdded: 0, unmatched: 0, overLimit: 0 };
}
