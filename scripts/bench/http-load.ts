// HTTP load with autocannon at a fixed overall rate (or flat out), recording every response time so
// p95 can be reported (autocannon's own summary stops at p90 / p97.5).
import autocannon from 'autocannon';

export interface HttpLoadOptions {
  url: string;
  /** Requests per second across all connections; null drives as fast as the connections allow. */
  rate: number | null;
  connections: number;
  durationSeconds: number;
  /** Path and headers of the n-th request, so every request can come from a different member. */
  request: (requestNumber: number) => { path: string; headers: Record<string, string> };
}

export interface HttpLoadResult {
  latenciesMs: number[];
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  elapsedMs: number;
  achievedRate: number;
}

export async function loadHttp(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const latenciesMs: number[] = [];
  let requestNumber = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        ...(options.rate !== null ? { overallRate: options.rate } : {}),
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({ ...request, ...options.request(requestNumber++) }),
          },
        ],
      },
      (error, finished) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTime);
    });
  });
  const elapsedMs = result.duration * 1000;
  return {
    latenciesMs,
    completed: latenciesMs.length,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    elapsedMs,
    achievedRate: (latenciesMs.length * 1000) / elapsedMs,
  };
}
