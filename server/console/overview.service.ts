// The operators' overview on one page: members, vector coverage, the live ranker, job queues,
// dwell-view freshness, and slates and swipes per hour.
import type { Overview } from '../../shared/schemas/console.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { Queues } from '../jobs/queues.js';
import { activityWindowStart, zeroFilledActivity } from './hourly-activity.js';
import type { OverviewRepository } from './overview.repository.js';

export class OverviewService {
  constructor(
    private readonly repository: OverviewRepository,
    private readonly jobs: JobQueue,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async overview(): Promise<Overview> {
    const now = this.now();
    const since = activityWindowStart(now);
    const members = await this.repository.members();
    const vectors = await this.repository.vectors();
    const [liveModel, jobs, dwell, slates, swipes] = await Promise.all([
      this.repository.liveRanker(),
      this.jobs.state(),
      this.repository.dwell(Queues.dwellRefresh),
      this.repository.slatesPerHour(since),
      this.repository.swipesPerHour(since),
    ]);
    return {
      members,
      vectors: {
        count: vectors.count,
        coverage: members.withAttributes === 0 ? 0 : vectors.covered / members.withAttributes,
        models: vectors.models,
      },
      liveModel,
      jobs,
      dwell,
      activity: { hours: zeroFilledActivity(slates, swipes, now) },
    };
  }
}
