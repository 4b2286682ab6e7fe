// A server-sent-events client for tests, over a real socket (app.inject cannot read a stream that does
// not end): parses `id:` / `event:` / `data:` frames and `:` comments as they arrive, waits for events
// with a bound, and can stop reading (a slow consumer) without closing.
import http from 'node:http';

export interface SseFrame {
  id?: string;
  event: string;
  data: unknown;
}

export interface SseTarget {
  /** `http://127.0.0.1:port` of a listening app, or a Unix socket path. */
  baseUrl?: string;
  socketPath?: string;
}

export class SseClient {
  readonly frames: SseFrame[] = [];
  readonly comments: string[] = [];
  /** The raw text received, `retry:` lines included. */
  text = '';
  /** Resolves when the server ends or drops the stream. */
  readonly closed: Promise<void>;
  private buffer = '';
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly request: http.ClientRequest,
    readonly response: http.IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.receive(chunk));
    this.closed = new Promise((resolve) => {
      response.on('close', resolve);
      response.on('error', () => resolve());
    });
    request.on('error', () => undefined);
  }

  /** Opens `path`; resolves once the status and headers are in (any status: check `response.statusCode`). */
  static open(target: SseTarget, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const options: http.RequestOptions = {
        path,
        headers: { accept: 'text/event-stream', ...headers },
        ...(target.socketPath ? { socketPath: target.socketPath } : {}),
      };
      const url = target.baseUrl ? new URL(target.baseUrl) : undefined;
      if (url) Object.assign(options, { host: url.hostname, port: url.port });
      const request = http.get(options, (response) => resolve(new SseClient(request, response)));
      request.on('error', reject);
    });
  }

  /** The frames of one event type. */
  named(event: string): SseFrame[] {
    return this.frames.filter((frame) => frame.event === event);
  }

  /** Waits until `count` frames of `event` have arrived; fails with what did arrive. */
  async waitForEvents(event: string, count: number, timeoutMs = 10_000): Promise<SseFrame[]> {
    await this.waitUntil(() => this.named(event).length >= count, timeoutMs, `${count} "${event}" events`);
    return this.named(event);
  }

  async waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Stops reading (the socket fills up, as with a client that stalls). */
  pause(): void {
    this.response.pause();
  }

  resume(): void {
    this.response.resume();
  }

  close(): void {
    this.request.destroy();
  }

  /** Reads until the server's body ends; the JSON of an error answer. */
  async json(): Promise<{ statusCode: number; message: string }> {
    await this.closed;
    return JSON.parse(this.text) as { statusCode: number; message: string };
  }

  private receive(chunk: string): void {
    this.text += chunk;
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.parse(block);
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private parse(block: string): void {
    const frame: { id?: string; event?: string; data?: string } = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) frame.id = line.slice(4);
      else if (line.startsWith('event: ')) frame.event = line.slice(7);
      else if (line.startsWith('data: ')) frame.data = line.slice(6);
    }
    if (frame.data === undefined) return;
    this.frames.push({
      ...(frame.id === undefined ? {} : { id: frame.id }),
      event: frame.event ?? 'message',
      data: JSON.parse(frame.data),
    });
  }
}
