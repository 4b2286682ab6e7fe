// The two "active member" filters on each database: a member with attributes (not deleted, birthday
// saved) versus a discoverable one (with a gender too), with and without a table alias.
import { beforeAll, describe, expect, it } from 'vitest';
import { discoverableMember, memberWithAttributes } from '../../server/db/active-members.js';
import { databaseKinds, migratedScratchDatabase } from '../support/databases.js';

describe.each(databaseKinds)('active member filters [%s]', (kind) => {
  const scratch = migratedScratchDatabase(kind);

  async function idsWhere(condition: string, from = 'members'): Promise<string[]> {
    const { rows } = await scratch.db.query<{ id: string }>(`SELECT id FROM ${from} WHERE ${condition} ORDER BY id`);
    return rows.map((row) => row.id);
  }

  beforeAll(async () => {
    await scratch.db.query(
      `INSERT INTO members (id, birthday, gender, deleted_at) VALUES
         ('complete', '1990-01-01', 'woman', NULL),
         ('no-gender', '1990-01-01', NULL, NULL),
         ('no-attributes', NULL, NULL, NULL),
         ('deleted', '1990-01-01', 'man', now())`,
    );
  });

  it('counts a member with a birthday who is not deleted as having attributes, gender or not', async () => {
    expect(await idsWhere(memberWithAttributes())).toEqual(['complete', 'no-gender']);
    expect(await idsWhere(memberWithAttributes('m'), 'members m')).toEqual(['complete', 'no-gender']);
  });

  it('makes only a member with attributes and a gender discoverable', async () => {
    expect(await idsWhere(discoverableMember())).toEqual(['complete']);
    expect(await idsWhere(discoverableMember('m'), 'members m')).toEqual(['complete']);
  });
});
