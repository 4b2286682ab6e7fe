// Members' attributes in the `members` table. The only place that knows their SQL.
import type { Queryable } from '../db/database.js';
import type { Gender, UserAttributes, UserAttributesInput } from '../../shared/schemas/attributes.js';
import { memberWithAttributes } from '../db/active-members.js';

interface MemberRow {
  id: string;
  gender: Gender;
  seeking: Gender[];
  birthday: string;
  lat: number;
  lon: number;
  place: string | null;
  hobbies: string[];
  communities: string[];
  connectors: UserAttributes['connectors'];
  updated_at: Date | string;
  created: boolean;
}

const COLUMNS = `id, gender, seeking, birthday, lat, lon, place, hobbies, communities, connectors, updated_at`;

function toAttributes(row: MemberRow): UserAttributes {
  return {
    memberId: row.id,
    location: row.place === null ? { lat: row.lat, lon: row.lon } : { lat: row.lat, lon: row.lon, place: row.place },
    birthday: row.birthday,
    hobbies: row.hobbies,
    communities: row.communities,
    connectors: row.connectors,
    gender: row.gender,
    seeking: row.seeking,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export class AttributesRepository {
  constructor(private readonly db: Queryable) {}

  /** Attributes of a member who has saved them and is not deleted; null otherwise. */
  async find(memberId: string, tx: Queryable = this.db): Promise<UserAttributes | null> {
    const result = await tx.query<MemberRow>(
      `SELECT ${COLUMNS}, false AS created FROM members
        WHERE id = $1 AND ${memberWithAttributes()}`,
      [memberId],
    );
    const row = result.rows[0];
    return row ? toAttributes(row) : null;
  }

  /** Creates the member on first save, replaces all attributes afterwards. */
  async upsert(
    memberId: string,
    input: UserAttributesInput,
    tx: Queryable = this.db,
  ): Promise<{ attributes: UserAttributes; created: boolean }> {
    const result = await tx.query<MemberRow>(
      `INSERT INTO members AS m (id, gender, seeking, birthday, lat, lon, place, hobbies, communities, connectors)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET
         gender = excluded.gender, seeking = excluded.seeking, birthday = excluded.birthday,
         lat = excluded.lat, lon = excluded.lon, place = excluded.place,
         hobbies = excluded.hobbies, communities = excluded.communities, connectors = excluded.connectors,
         updated_at = now(), last_active_at = now()
       RETURNING ${COLUMNS}, (xmax = 0) AS created`,
      [
        memberId,
        input.gender,
        input.seeking,
        input.birthday,
        input.location.lat,
        input.location.lon,
        input.location.place ?? null,
        input.hobbies,
        input.communities,
        JSON.stringify(input.connectors),
      ],
    );
    const row = result.rows[0];
    if (!row) throw new Error(`upsert of member ${memberId} returned no row`);
    return { attributes: toAttributes(row), created: row.created };
  }
}
