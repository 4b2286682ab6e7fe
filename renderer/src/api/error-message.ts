// The one way the console turns a failure into the text it shows: an Error's message (an ApiError
// carries the server's, which names the field), anything else as a string.
export function errorMessage(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
