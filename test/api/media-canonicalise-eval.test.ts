// canonicalise's accuracy on the real MovieLens catalogue (../shared/data), on a 300-title sample typed
// the ways people do: the same evaluation as `npm run eval:canonicalise`, smaller.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrations.js';
import { evaluateCanonicalisation, PERTURBATIONS } from '../../server/media/canonicalise-eval.js';
import { databaseKinds, openScratchDatabase, type ScratchDatabase } from '../support/databases.js';

const MOVIELENS = path.resolve('../shared/data/movielens-small-2015');
const present = existsSync(path.join(MOVIELENS, 'movies.csv')) && existsSync(path.join(MOVIELENS, 'links.csv'));

describe.skipIf(!present)(
  'canonicalise accuracy on MovieLens (skipped: ../shared/data/movielens-small-2015 absent)',
  () => {
    describe.each(databaseKinds)('[%s]', (kind) => {
      let scratch: ScratchDatabase;
      beforeAll(async () => {
        scratch = await openScratchDatabase(kind);
        await migrate(scratch.db);
      });
      afterAll(async () => {
        await scratch?.dispose();
      });

      it('finds the right IMDb id first for at least 95 % of 300 typed titles', async () => {
        const report = await evaluateCanonicalisation(scratch.db, { dataDir: MOVIELENS, sample: 300 });
        expect(report.imported.rejected).toEqual([]);
        expect(report.titles).toBe(300);
        for (const perturbation of PERTURBATIONS) expect(report.byPerturbation[perturbation].total).toBeGreaterThan(0);
        expect(report.overall.accuracy).toBeGreaterThanOrEqual(0.95);
      }, 300_000);
    });
  },
);
