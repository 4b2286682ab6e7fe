// Timestamp columns as the API shows them: rows type them `Date | string` (what the drivers' parsers may
// hand back), and the API speaks ISO 8601 in UTC. Repositories convert through these two functions
// rather than each keeping its own copy.

/** A timestamp column's value as an ISO 8601 string in UTC. */
export function isoTimestamp(value: Date | string): string {
  return new Date(value).toISOString();
}

/** The same for a nullable column: null stays null. */
export function isoTimestampOrNull(value: Date | string | null): string | null {
  return value === null ? null : isoTimestamp(value);
}
