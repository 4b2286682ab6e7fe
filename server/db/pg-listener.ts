// LISTEN/NOTIFY for the Postgres driver. A pooled connection cannot listen (the pool hands it to other
// queries and may close it), so notifications arrive on one dedicated client per database. When that
// connection drops (server restart, failover, pg_terminate_backend) it is re-opened with a growing
// delay and every channel is listened to again; what was sent in between is lost, which the callers
// accept (their caches also expire on a TTL).
import pg from 'pg';
import { assertChannelName } from './database.js';

export interface PgListenerOptions {
  /** First reconnect delay; doubled after each failed attempt up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Told about a lost connection and each failed reconnect (the app's logger, in production). */
  onError?: (error: unknown) => void;
}

export class PgListener {
  private readonly channels = new Map<string, Set<(payload: string) => void>>();
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly options: PgListenerOptions = {},
  ) {}

  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    assertChannelName(channel);
    if (this.closed) throw new Error('listen: the database is closed');
    let callbacks = this.channels.get(channel);
    if (!callbacks) this.channels.set(channel, (callbacks = new Set()));
    callbacks.add(onMessage);
    try {
      // A fresh connection listens to every known channel; LISTEN on one already listening is a no-op.
      const client = await this.connected();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      callbacks.delete(onMessage);
      if (callbacks.size === 0) this.channels.delete(channel);
      throw error;
    }
    return async () => {
      const current = this.channels.get(channel);
      if (!current?.delete(onMessage) || current.size > 0) return;
      this.channels.delete(channel);
      await this.client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connected(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'sde-listen',
      // A half-open TCP connection (a vanished server) is noticed, not waited on forever.
      keepAlive: true,
    });
    let live = false;
    // 'error' is followed by 'end'; reconnecting is handled there.
    client.on('error', (error) => this.options.onError?.(error));
    client.on('notification', (message) => {
      for (const callback of this.channels.get(message.channel) ?? []) {
        // A throwing callback must not take the connection's event loop (or the process) with it.
        try {
          callback(message.payload ?? '');
        } catch (error) {
          this.options.onError?.(error);
        }
      }
    });
    client.on('end', () => {
      if (this.client === client) this.client = undefined;
      if (live && !this.closed) this.scheduleReconnect();
    });
    try {
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error('listen: the database is closed');
    }
    live = true;
    this.failures = 0;
    this.client = client;
    return client;
  }

  private scheduleReconnect(): void {
    const min = this.options.minDelayMs ?? 100;
    const delay = Math.min(this.options.maxDelayMs ?? 5_000, min * 2 ** this.failures);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.closed || this.channels.size === 0) return;
      this.connected().catch((error: unknown) => {
        this.failures++;
        this.options.onError?.(error);
        if (!this.closed) this.scheduleReconnect();
      });
    }, delay);
  }
}
