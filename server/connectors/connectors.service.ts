// Connecting Spotify and reading connector status. Checks first (configured, member exists, Spotify
// accepts the code), then one transaction stores the sealed tokens and queues the ingest job, so an
// accepted import always has its job and a refused one stores nothing.
import {
  CONNECTORS,
  emptyCounts,
  type ConnectorStatus,
  type ConnectorStatusList,
  type SpotifyImportInput,
} from '../../shared/schemas/connectors.js';
import type { Config } from '../config/config.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/database.js';
import { DomainError, malformed } from '../errors/domain-errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { QueueContracts } from '../jobs/queues.js';
import type { AttributesRepository } from '../profiles/attributes.repository.js';
import type { ConnectorAccount, ConnectorAccountsRepository } from './connector-accounts.repository.js';
import { SpotifyClient, SpotifyRejected, SpotifyUnavailable, type SpotifyTokens } from './spotify-client.js';
import { sealContext } from './spotify-ingest.js';

export function statusOf(account: ConnectorAccount): ConnectorStatus {
  return {
    connector: account.connector,
    state: account.state,
    counts: account.counts,
    lastSyncAt: account.lastSyncAt?.toISOString() ?? null,
    lastError: account.lastError,
  };
}

export class ConnectorsService {
  constructor(
    private readonly deps: {
      db: Database;
      jobs: JobQueue;
      accounts: ConnectorAccountsRepository;
      members: AttributesRepository;
      box: SecretBox;
      spotify: Config['spotify'];
      clock?: () => Date;
    },
  ) {}

  async startSpotifyImport(memberId: string, input: SpotifyImportInput): Promise<ConnectorStatus> {
    const { clientId, clientSecret, accountsUrl, apiUrl } = this.deps.spotify;
    if (!clientId || !clientSecret) {
      throw new DomainError(
        'unavailable',
        'the Spotify connector is not configured on this server (set SDE_SPOTIFY_CLIENT_ID and SDE_SPOTIFY_CLIENT_SECRET)',
        { topic: 'spotify' },
      );
    }
    if (!(await this.deps.members.find(memberId))) {
      throw new DomainError(
        'conflict',
        'save your attributes (PUT /api/v2/users/me/attributes) before importing favorites',
        { topic: 'member' },
      );
    }
    // Checked before the code is exchanged, so no token is ever stored for a member who opted out.
    if (!(await this.deps.accounts.sharesConnectors(memberId))) {
      throw new DomainError(
        'conflict',
        'sharing external connectors is off for you; turn it on (PATCH /api/v2/discovery/privacy { "connectors": true }) to connect Spotify',
        { topic: 'connectors' },
      );
    }
    const client = new SpotifyClient({ clientId, clientSecret, accountsUrl, apiUrl });
    const tokens = await this.exchange(client, input);
    if (!tokens.refreshToken) {
      throw new DomainError('upstream_failed', 'Spotify answered the code exchange without a refresh token', {
        topic: 'spotify',
      });
    }
    const now = (this.deps.clock ?? (() => new Date()))();
    const { box, accounts, jobs } = this.deps;
    const account = await this.deps.db.transaction(async (tx) => {
      const connected = await accounts.connect(
        memberId,
        'spotify',
        {
          refreshToken: box.seal(tokens.refreshToken!, sealContext.refresh(memberId)),
          accessToken: box.seal(tokens.accessToken, sealContext.access(memberId)),
          accessTokenExpiresAt: new Date(now.getTime() + tokens.expiresInSeconds * 1000),
          scopes: tokens.scopes,
        },
        tx,
      );
      await jobs.send(QueueContracts.spotifyIngest, { memberId }, { singletonKey: memberId, tx });
      return connected;
    });
    return statusOf(account);
  }

  async status(memberId: string): Promise<ConnectorStatusList> {
    const accounts = await this.deps.accounts.listForMember(memberId);
    return {
      connectors: CONNECTORS.map((connector) => {
        const account = accounts.find((a) => a.connector === connector);
        return account
          ? statusOf(account)
          : { connector, state: 'idle' as const, counts: emptyCounts(), lastSyncAt: null, lastError: null };
      }),
    };
  }

  private async exchange(client: SpotifyClient, input: SpotifyImportInput): Promise<SpotifyTokens> {
    try {
      return await client.exchangeCode(input.code, input.redirectUri);
    } catch (error) {
      if (error instanceof SpotifyRejected) {
        throw malformed('code', `Spotify rejected the authorization code (${error.reason})`);
      }
      if (error instanceof SpotifyUnavailable) {
        throw new DomainError('upstream_failed', `${error.message}; try again later`, { topic: 'spotify' });
      }
      throw error;
    }
  }
}
