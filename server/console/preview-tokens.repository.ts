// The one question member preview asks the database: may this member be previewed?
import type { Queryable } from '../db/database.js';
import { memberWithAttributes } from '../db/active-members.js';

export class PreviewTokensRepository {
  constructor(private readonly db: Queryable) {}

  /** A member who is not deleted and has saved attributes: the member API answers for them. */
  async memberHasAttributes(memberId: string): Promise<boolean> {
    const result = await this.db.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM members WHERE id = $1 AND ${memberWithAttributes()}) AS found`,
      [memberId],
    );
    return result.rows[0]?.found === true;
  }
}
