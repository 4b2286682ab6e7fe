// One server-sent-events response: the SSE framing (`id:`, `event:`, `data:`, `retry:`), heartbeat
// comments that keep proxies and the idle timeout from closing a quiet stream, and the slow-consumer
// rule — a client whose unsent bytes pass the bound, or that has not drained its socket for two
// heartbeats, is dropped (it reconnects with Last-Event-ID) instead of growing this process's memory.
import type { ServerResponse } from 'node:http';

export interface SseStreamOptions {
  heartbeatMs: number;
  /** Bytes queued in this process for the client beyond which the stream is dropped. */
  maxBufferedBytes: number;
  /** How long a client waits before reconnecting (the `retry:` hint), ms. */
  retryMs: number;
}

export type SseEndReason = 'client_gone' | 'slow_consumer' | 'shutdown' | 'error';

export class SseStream {
  private heartbeat: NodeJS.Timeout | undefined;
  /** Heartbeats in a row at which the socket still had not drained. */
  private stalledBeats = 0;
  private ended: SseEndReason | undefined;
  private readonly endListeners: Array<(reason: SseEndReason) => void> = [];

  constructor(
    private readonly response: ServerResponse,
    private readonly options: SseStreamOptions,
  ) {
    response.on('close', () => this.finish('client_gone'));
  }

  /** Sends the status and headers, the retry hint, then starts the heartbeat. */
  open(headers: Record<string, string>): void {
    this.response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      // no-cache is what SSE clients and proxies expect; no-store because the events are personal data.
      'cache-control': 'no-cache, no-store',
      // nginx (and proxies that honour it) would otherwise buffer the stream and deliver it in lumps.
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    this.write(`retry: ${this.options.retryMs}\n\n`);
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
  }

  get isOpen(): boolean {
    return this.ended === undefined;
  }

  /** Called once, with why the stream ended. */
  onEnd(listener: (reason: SseEndReason) => void): void {
    this.endListeners.push(listener);
  }

  /** Writes one event; false when the stream is (or has just been) closed. */
  send(event: { id?: string; event: string; data: unknown }): boolean {
    const lines = [];
    if (event.id !== undefined) lines.push(`id: ${event.id}`);
    lines.push(`event: ${event.event}`, `data: ${JSON.stringify(event.data)}`);
    return this.write(`${lines.join('\n')}\n\n`);
  }

  /**
   * Resolves once the client has taken what was written (or the stream ended). A replay waits on it
   * between events, so only live events, which cannot wait, count against the buffer bound; a client
   * that never drains is dropped by the heartbeat.
   */
  async drained(): Promise<void> {
    if (!this.isOpen || !this.response.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }

  /** Ends the stream cleanly (shutdown): the client sees the end and reconnects elsewhere. */
  end(reason: SseEndReason): void {
    if (!this.isOpen) return;
    this.finish(reason);
    this.response.end();
    // A client that does not read would keep the connection (and the server's close) waiting.
    const unread = setTimeout(() => this.response.destroy(), 1_000);
    this.response.once('close', () => clearTimeout(unread));
  }

  private write(chunk: string): boolean {
    if (!this.isOpen) return false;
    this.response.write(chunk);
    if (this.response.writableLength > this.options.maxBufferedBytes) {
      this.drop('slow_consumer');
      return false;
    }
    return true;
  }

  private beat(): void {
    // A socket that stayed undrained from one heartbeat to the next belongs to a client that stopped reading.
    if (this.response.writableNeedDrain) {
      if (++this.stalledBeats >= 2) return this.drop('slow_consumer');
    } else {
      this.stalledBeats = 0;
    }
    this.write(': ping\n\n');
  }

  /** Closes the connection at once, unsent bytes and all (a slow consumer, a failure mid-stream). */
  drop(reason: SseEndReason): void {
    if (!this.isOpen) return;
    this.finish(reason);
    // Not end(): that would wait to flush what the client is not reading.
    this.response.destroy();
  }

  private finish(reason: SseEndReason): void {
    if (this.ended !== undefined) return;
    this.ended = reason;
    clearInterval(this.heartbeat);
    for (const listener of this.endListeners) listener(reason);
  }
}
