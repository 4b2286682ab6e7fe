// The labelled impressions training data is made of: every candidate a viewer was shown in a time
// window, with the viewer's first swipe on them after the impression. Labels follow the issue's
// grading: pass (and block / report) 0, like 1, superlike or a like answered by a like (a match) 2.
// Impressions nobody answered carry no label and are left out.
import type { Queryable } from '../db/database.js';

export interface LabelledImpression {
  viewerId: string;
  candidateId: string;
  label: 0 | 1 | 2;
  servedAt: string;
}

export interface TrainingWindow {
  from: Date;
  to: Date;
}

export class TrainingDataRepository {
  constructor(private readonly db: Queryable) {}

  /** Labelled impressions served in [from, to), grouped by viewer (viewers in id order, then by time). */
  async labelledImpressions(window: TrainingWindow): Promise<LabelledImpression[]> {
    const { rows } = await this.db.query<{
      viewer_id: string;
      candidate_id: string;
      label: number;
      served_at: Date | string;
    }>(
      `SELECT DISTINCT ON (i.viewer_id, i.candidate_id)
              i.viewer_id, i.candidate_id, i.served_at,
              CASE
                WHEN f.action = 'superlike' THEN 2
                WHEN f.action = 'like' AND EXISTS (
                  SELECT 1 FROM swipes back
                   WHERE back.viewer_id = i.candidate_id AND back.target_id = i.viewer_id
                     AND back.action IN ('like', 'superlike')) THEN 2
                WHEN f.action = 'like' THEN 1
                ELSE 0
              END AS label
         FROM slate_impressions i
         JOIN members viewer ON viewer.id = i.viewer_id AND viewer.deleted_at IS NULL
         JOIN members candidate ON candidate.id = i.candidate_id AND candidate.deleted_at IS NULL
         JOIN LATERAL (
           SELECT s.action FROM swipes s
            WHERE s.viewer_id = i.viewer_id AND s.target_id = i.candidate_id AND s.created_at >= i.served_at
            ORDER BY s.created_at LIMIT 1
         ) f ON true
        WHERE i.served_at >= $1::timestamptz AND i.served_at < $2::timestamptz
        ORDER BY i.viewer_id, i.candidate_id, i.served_at`,
      [window.from.toISOString(), window.to.toISOString()],
    );
    return rows.map((row) => ({
      viewerId: row.viewer_id,
      candidateId: row.candidate_id,
      label: row.label as 0 | 1 | 2,
      servedAt: new Date(row.served_at).toISOString(),
    }));
  }
}
