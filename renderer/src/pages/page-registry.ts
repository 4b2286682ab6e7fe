// The console's pages: where each lives, who may open it (the server enforces the same roles on every
// route; hiding is for clarity, not security), and its component.
import type { ComponentType } from 'react';
import type { Role } from '../../../shared/schemas/roles.js';
import type { Session } from '../session.js';
import { MemberPreviewPage } from './preview/MemberPreviewPage.js';
import { ModelsPage } from './models/ModelsPage.js';
import { OverviewPage } from './overview/OverviewPage.js';
import { ReviewQueuePage } from './review/ReviewQueuePage.js';
import { SlateReviewPage } from './slates/SlateReviewPage.js';

/** What the shell gives a page; the API client comes from context (api/api-context.tsx). */
export interface PageProps {
  session: Session;
  /** Path within the page, e.g. the member id in /console/slates/demo-00042. */
  subpath: string;
  navigate: (path: string) => void;
}

export interface PageDefinition {
  id: 'overview' | 'slates' | 'reviewQueue' | 'models' | 'preview';
  path: string;
  roles: readonly Role[];
  component: ComponentType<PageProps>;
}

export const PAGES: readonly PageDefinition[] = [
  { id: 'overview', path: 'overview', roles: ['reviewer', 'ml_engineer', 'admin'], component: OverviewPage },
  { id: 'slates', path: 'slates', roles: ['reviewer', 'admin'], component: SlateReviewPage },
  { id: 'reviewQueue', path: 'review-queue', roles: ['reviewer', 'admin'], component: ReviewQueuePage },
  { id: 'models', path: 'models', roles: ['ml_engineer', 'admin'], component: ModelsPage },
  { id: 'preview', path: 'preview', roles: ['reviewer', 'admin'], component: MemberPreviewPage },
];

export function pagesFor(role: Role): PageDefinition[] {
  return PAGES.filter((page) => page.roles.includes(role));
}
