-- Shadow re-ranking: when a viewer is in the `shadow` arm, the served (live model) order and the order
-- the candidate model would have served are both kept, for offline comparison before a promotion.
CREATE TABLE shadow_rankings (
  slate_id uuid PRIMARY KEY,
  viewer_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  served_model text NOT NULL,
  shadow_model text NOT NULL,
  served_order text[] NOT NULL,
  shadow_order text[] NOT NULL,
  -- The shadow model's score of each candidate, in served_order.
  shadow_scores double precision[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shadow_rankings_models ON shadow_rankings (shadow_model, created_at DESC);

-- Impressions are joined back to feedback by (viewer, candidate) for training and by slate for reviews.
CREATE INDEX slate_impressions_viewer_candidate ON slate_impressions (viewer_id, candidate_id, served_at DESC);
CREATE INDEX slate_impressions_slate ON slate_impressions (slate_id);
