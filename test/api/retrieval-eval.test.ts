// Taste retrieval quality on the real MovieLens sample (../shared/data): the same evaluation as
// `npm run eval:retrieval`, on 150 members: the product's taste vectors, built by the nightly builder
// from 80 % of each member's favorites, must find members sharing the held-out 20 % clearly more often
// than random members do.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrations.js';
import { evaluateRetrieval } from '../../server/taste/retrieval-eval.js';
import { databaseKinds, openScratchDatabase, type ScratchDatabase } from '../support/databases.js';

const MOVIELENS = path.resolve('../shared/data/movielens-small-2015');
const present = ['movies.csv', 'links.csv', 'ratings.csv'].every((file) => existsSync(path.join(MOVIELENS, file)));

describe.skipIf(!present)('taste retrieval on MovieLens (skipped: ../shared/data/movielens-small-2015 absent)', () => {
  describe.each(databaseKinds)('[%s]', (kind) => {
    let scratch: ScratchDatabase;
    beforeAll(async () => {
      scratch = await openScratchDatabase(kind);
      await migrate(scratch.db);
    });
    afterAll(async () => {
      await scratch?.dispose();
    });

    it('taste ANN over 150 members beats 10 random members by at least 1.5×', async () => {
      const report = await evaluateRetrieval(scratch.db, { dataDir: MOVIELENS, members: 150 });
      expect(report.members).toBe(150);
      expect(report.quality.membersRebuilt).toBe(150);
      expect(report.quality.passed).toBe(true);
      expect(report.viewers).toBeGreaterThan(100);
      const [taste, , random] = report.scores;
      expect(taste!.method).toMatch(/taste ANN/);
      expect(random!.meanJaccard).toBeGreaterThan(0);
      expect(report.ratioVsRandom).toBeGreaterThanOrEqual(1.5);
    }, 300_000);
  });
});
