// Who counts as an active member, written once as SQL conditions over the `members` table. A members row
// can exist without saved attributes (every attribute column is nullable and rows may be written outside
// the attributes API) and after erasure (deleted_at set), so "the row exists" is not "the member is
// active". There are two questions, and each is right for its callers:
//
// - A member WITH ATTRIBUTES (not deleted, birthday saved; PUT attributes requires it): the member API
//   answers for them — their own attributes, favorites, the console's preview and its counts.
// - A DISCOVERABLE member (with attributes and a gender): the discovery path can reason about them —
//   preference matching and the gender-parity band both need a gender, so a member without one is
//   neither served candidates, slates or explanations nor given feedback and pair features.
//
// These are plain TypeScript fragments rather than a view: spliced into each query, the planner sees the
// same predicates as before (the partial index on `deleted_at IS NULL` still applies), and no new object
// appears in the schema the client-API lockdown has to keep closed.

/** `alias.` or nothing, for a members table that has no alias in the query. */
function columnsOf(alias: string): string {
  return alias === '' ? '' : `${alias}.`;
}

/** Not deleted, with saved attributes: the member API answers for this member. */
export function memberWithAttributes(alias = ''): string {
  const c = columnsOf(alias);
  return `${c}deleted_at IS NULL AND ${c}birthday IS NOT NULL`;
}

/** With attributes and a gender: the discovery path (retrieval, ranking, explanations, feedback) can use them. */
export function discoverableMember(alias = ''): string {
  return `${memberWithAttributes(alias)} AND ${columnsOf(alias)}gender IS NOT NULL`;
}
