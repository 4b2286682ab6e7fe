-- Shadow evaluation (docs/shadow-evaluation.md): what each model's order would have served after the
-- post-rank stages (safety → diversity → parity), so the shadow model is judged on the slate it would
-- really have shown and on the same guardrails as the live one. Rows logged before this migration keep
-- NULLs and are left out of the evaluation.
ALTER TABLE shadow_rankings
  -- The slate the shadow model's order would have served (member ids, position 1 first).
  ADD COLUMN shadow_slate text[],
  -- Parity shortfall: members missing from the band, summed over genders (0 = within the band).
  ADD COLUMN served_parity_shortfall integer CHECK (served_parity_shortfall >= 0),
  ADD COLUMN shadow_parity_shortfall integer CHECK (shadow_parity_shortfall >= 0),
  -- Candidates the safety stage removed from each order.
  ADD COLUMN served_safety_removals integer CHECK (served_safety_removals >= 0),
  ADD COLUMN shadow_safety_removals integer CHECK (shadow_safety_removals >= 0),
  -- Each model's scoring time for the slate's candidates, milliseconds.
  ADD COLUMN served_rank_ms double precision CHECK (served_rank_ms >= 0),
  ADD COLUMN shadow_rank_ms double precision CHECK (shadow_rank_ms >= 0);
