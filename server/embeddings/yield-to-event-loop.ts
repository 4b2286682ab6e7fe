// Long synchronous work (embedding many texts) would hold the event loop and stall every other request,
// /healthz included. Awaiting this between items lets pending I/O and other requests run first.

/** Resolves after the event loop has had a turn (setImmediate runs after pending I/O callbacks). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
