// Taste retrieval quality on the real MovieLens sample (../shared/data): the same evaluation as
// `npm run eval:retrieval`, on 150 members: the product's taste vectors, built by the nightly builder
// from 80 % of each member's favorites, must find members sharing the held-out 20 % clearly more often
// than random members do.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRetrieval } from '../../server/offline/evaluation/retrieval-eval.js';
import { databaseKinds, migratedScratchDatabase } from '../support/databases.js';
import { sharedFilesPresent } from '../support/shared-files.js';

const MOVIELENS = path.resolve('../shared/data/movielens-small-2015');
const present = sharedFilesPresent(
  ['movies.csv', 'links.csv', 'ratings.csv'].map((file) => path.join(MOVIELENS, file)),
);

describe.skipIf(!present)('taste retrieval on MovieLens (skipped: ../shared/data/movielens-small-2015 absent)', () => {
  describe.each(databaseKinds)('[%s]', (kind) => {
    const scratch = migratedScratchDatabase(kind);

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
