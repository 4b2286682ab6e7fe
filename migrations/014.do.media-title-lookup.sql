-- Free-text favorites (POST /api/v2/embed, profile re-embeds) are matched to works by lower(title). Without
-- an index that lookup read the whole media table once per request (about 85 ms on the 50k sample
-- catalogue, on PGlite on the event loop); with it, each reference is one index probe.
CREATE INDEX media_lower_title ON media (lower(title));
