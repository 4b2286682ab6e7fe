// The streams open on this replica: the caps on how many one caller and the replica may hold (each holds
// a socket and a share of the fan-out), and ending them all when the app closes, so `app.close()` does
// not wait on connections that would otherwise stay open for ever.
import type { SseStream } from './sse-stream.js';

export interface OpenStreamsLimits {
  perCaller: number;
  perReplica: number;
}

export type Admission = { admitted: true; release: () => void } | { admitted: false; limit: 'caller' | 'replica' };

export class OpenStreams {
  private readonly byCaller = new Map<string, number>();
  private readonly streams = new Set<SseStream>();
  private total = 0;

  constructor(private readonly limits: OpenStreamsLimits) {}

  /** Takes a slot for `caller`, or says which cap is full. The release is idempotent. */
  admit(caller: string): Admission {
    if (this.total >= this.limits.perReplica) return { admitted: false, limit: 'replica' };
    const held = this.byCaller.get(caller) ?? 0;
    if (held >= this.limits.perCaller) return { admitted: false, limit: 'caller' };
    this.byCaller.set(caller, held + 1);
    this.total++;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = (this.byCaller.get(caller) ?? 1) - 1;
        if (left > 0) this.byCaller.set(caller, left);
        else this.byCaller.delete(caller);
      },
    };
  }

  /** Tracks `stream` until it ends, so closeAll reaches it. */
  track(stream: SseStream): void {
    this.streams.add(stream);
    stream.onEnd(() => this.streams.delete(stream));
  }

  get count(): number {
    return this.total;
  }

  closeAll(): void {
    for (const stream of [...this.streams]) stream.end('shutdown');
  }
}
