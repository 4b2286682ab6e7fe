// Reading a JSON object out of text from outside (an upstream body, a NOTIFY payload) where anything
// else (not JSON, a number, null) means "not what we expected" rather than an error to throw.

/** `text` parsed as JSON when it is an object (arrays included); undefined for anything else. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
