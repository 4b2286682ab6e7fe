// The behaviour module: members' scroll-pause and dwell-time events (POST /api/v2/events). The
// `user_dwell_avg` view they feed is refreshed by the `dwell_refresh` schedule (server/app.ts).
import type { RegisterModule } from '../module-context.js';
import { behaviourEventsRoutes } from './behaviour-events.route.js';

export const registerBehaviourModule: RegisterModule<'behaviourEvents'> = async (app, { behaviourEvents }) => {
  await app.register(behaviourEventsRoutes, { behaviourEvents });
};
