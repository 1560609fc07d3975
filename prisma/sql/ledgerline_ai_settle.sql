-- ledgerline_ai_settle: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261206010000_enforcement_plans_by_index/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_ai_settle(p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamp with time zone, p_period_start timestamp with time zone, p_limit bigint, p_pool_ceiling bigint, p_authorization_ids text[], p_input_tokens bigint[], p_output_tokens bigint[], p_costs bigint[])
 RETURNS TABLE(idx integer, outcome text, response jsonb)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
-- One row per request (idx from 1): settled or replay with the settlement, released, or
-- not_found. A refusal of the whole batch (not_found, unauthorized, stale) is one row with idx 0.
-- After the requests' rows, a row with idx 0 and outcome top_up_opened says the batch's draw
-- opened an automatic top-up of credits (ledgerline_auto_top_up), for the app to send at once.
-- Every hold named belongs to the period p_period_start (the app groups them by period).
-- The pool pays first, then free prepaid credits; the cost of work already done is recorded
-- even past the cap. Credits are drawn from the org's grants in draw order
-- (ledgerline_draw_credits).
DECLARE
  v_refusal text := ledgerline_refusal(p_org_id, p_config_version, p_key_hash);
  h ai_authorizations;
  v_pool record;
  v_pool_used bigint;
  v_pool_held bigint;
  v_credits_locked boolean := false;
  v_has_credits boolean;
  v_balance bigint;
  v_credits_held bigint;
  v_next_expiry timestamptz;
  v_drawn bigint := 0;
  v_top_up text;
  v_users text[] := '{}';
  v_used bigint[] := '{}';
  v_held bigint[] := '{}';
  v_allocations bigint[] := '{}';
  v_member record;
  v_m integer;
  v_pool_part bigint;
  v_credit bigint;
  v_tokens bigint;
  v_used_before bigint[] := '{}';
  v_pool_afters bigint[] := '{}';
  v_member_afters bigint[] := '{}';
  v_allocation bigint;
  v_response jsonb;
  v_credits bigint[] := '{}';
  v_entry_users text[] := '{}';
  v_features text[] := '{}';
  v_tiers text[] := '{}';
  v_settled_ids text[] := '{}';
  v_settled_costs bigint[] := '{}';
  v_settled_tokens bigint[] := '{}';
  v_total_cost bigint := 0;
  v_total_tokens bigint := 0;
  v_id text;
  v_user text;
  v_user_used bigint;
  v_user_held bigint;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT 0, v_refusal, NULL::jsonb;
    RETURN;
  END IF;
  v_pool := ledgerline_lock_counter(p_org_id, '', 'ai_budget', p_period_start);
  v_pool_used := v_pool.used;
  v_pool_held := v_pool.held;

  FOR i IN 1 .. cardinality(p_authorization_ids) LOOP
    v_id := p_authorization_ids[i];
    SELECT * INTO h FROM ai_authorizations a WHERE a.org_id = p_org_id AND a.id = v_id FOR UPDATE;
    IF h.id IS NULL THEN
      RETURN QUERY SELECT i, 'not_found'::text, NULL::jsonb;
      CONTINUE;
    ELSIF h.status = 'settled' THEN
      RETURN QUERY SELECT i, 'replay'::text, h.settled_response;
      CONTINUE;
    ELSIF h.status = 'released' THEN
      RETURN QUERY SELECT i, 'released'::text, NULL::jsonb;
      CONTINUE;
    ELSIF h.period_start <> p_period_start THEN
      RAISE EXCEPTION 'authorization % is not of period %', h.id, p_period_start;
    END IF;

    IF NOT v_credits_locked THEN
      SELECT a.balance_micros, a.held_micros, a.next_expiry_at INTO v_balance, v_credits_held, v_next_expiry
      FROM credit_accounts a WHERE a.org_id = p_org_id FOR UPDATE;
      v_has_credits := FOUND;
      -- Grants past their expiry leave the balance first: what is left is what can be drawn.
      IF v_next_expiry <= p_now THEN
        v_balance := v_balance - ledgerline_expire_credits(p_org_id, p_now);
      END IF;
      v_credits_locked := true;
    END IF;
    v_m := array_position(v_users, h.user_id);
    IF v_m IS NULL THEN
      v_member := ledgerline_lock_counter(p_org_id, h.user_id, 'ai_budget', p_period_start);
      v_users := v_users || h.user_id;
      v_used := v_used || v_member.used;
      v_used_before := v_used_before || v_member.used;
      v_held := v_held || v_member.held;
      v_allocations := v_allocations || (SELECT m.ai_allocation_micros FROM memberships m WHERE m.org_id = p_org_id AND m.user_id = h.user_id);
      v_m := cardinality(v_users);
    END IF;
    -- A hold still held gives its reservations back; an expired one already has.
    IF h.status = 'held' THEN
      v_pool_held := greatest(v_pool_held - h.pool_hold_micros, 0);
      IF h.hold_micros > h.pool_hold_micros THEN
        v_credits_held := greatest(v_credits_held - (h.hold_micros - h.pool_hold_micros), 0);
      END IF;
      v_held[v_m] := greatest(v_held[v_m] - h.hold_micros, 0);
    END IF;

    v_pool_part := ledgerline_pool_part(p_costs[i], v_pool_used, v_pool_held, p_pool_ceiling);
    -- Free credits are the balance less other holds' reservations; after an expiry the
    -- reservations can exceed the balance, and then nothing is free.
    v_credit := CASE WHEN v_has_credits THEN greatest(0, least(p_costs[i] - v_pool_part, v_balance - v_credits_held)) ELSE 0 END;
    IF v_credit > 0 THEN
      INSERT INTO credit_ledger (org_id, kind, amount_micros, reference, created_at) VALUES (p_org_id, 'draw_down', -v_credit, h.id, p_now)
      ON CONFLICT (org_id, reference) DO NOTHING;
      IF FOUND THEN
        v_balance := v_balance - v_credit;
        v_drawn := v_drawn + v_credit;
      END IF;
    END IF;
    v_pool_used := v_pool_used + p_costs[i] - v_credit;
    v_used[v_m] := v_used[v_m] + p_costs[i];
    v_pool_afters := v_pool_afters || v_pool_used;
    v_member_afters := v_member_afters || v_used[v_m];

    v_tokens := p_input_tokens[i] + p_output_tokens[i];
    v_response := jsonb_build_object(
      'authorizationId', h.id, 'status', 'settled', 'feature', h.feature, 'tier', h.tier,
      'inputTokens', p_input_tokens[i], 'outputTokens', p_output_tokens[i], 'costMicros', p_costs[i], 'creditMicros', v_credit);
    UPDATE ai_authorizations a SET status = 'settled', settled_response = v_response WHERE a.org_id = p_org_id AND a.id = h.id;
    v_settled_ids := v_settled_ids || h.id;
    v_entry_users := v_entry_users || h.user_id;
    v_features := v_features || h.feature;
    v_tiers := v_tiers || h.tier;
    v_settled_costs := v_settled_costs || p_costs[i];
    v_credits := v_credits || v_credit;
    v_settled_tokens := v_settled_tokens || v_tokens;
    v_total_cost := v_total_cost + p_costs[i];
    v_total_tokens := v_total_tokens + v_tokens;
    RETURN QUERY SELECT i, 'settled'::text, v_response;
  END LOOP;
  IF cardinality(v_settled_ids) = 0 THEN
    RETURN;
  END IF;

  UPDATE usage_counters c SET used = v_pool_used, held = v_pool_held
  WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
  IF v_has_credits THEN
    IF v_drawn > 0 THEN
      PERFORM ledgerline_draw_credits(p_org_id, p_now, v_drawn);
    END IF;
    UPDATE credit_accounts a SET balance_micros = v_balance, held_micros = v_credits_held WHERE a.org_id = p_org_id;
    -- Under the credit_accounts lock this batch holds, so that racing settles decide one at a time.
    IF v_drawn > 0 THEN
      v_top_up := ledgerline_auto_top_up(p_org_id, v_balance + v_drawn, v_balance, p_now);
    END IF;
  END IF;
  FOR m IN 1 .. cardinality(v_users) LOOP
    v_user := v_users[m];
    v_user_used := v_used[m];
    v_user_held := v_held[m];
    UPDATE usage_counters c SET used = v_user_used, held = v_user_held
    WHERE c.org_id = p_org_id AND c.user_id = v_user AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
  END LOOP;
  INSERT INTO usage_counters AS c (org_id, user_id, metric, period_start, used)
  VALUES (p_org_id, '', 'ai_tokens', p_period_start, v_total_tokens)
  ON CONFLICT (org_id, user_id, metric, period_start) DO UPDATE SET used = c.used + EXCLUDED.used;

  -- Threshold crossings, each at the settle that made it, as the pool's and each member's use
  -- stood after it; looked for only where the batch moved a counter to another band.
  IF ledgerline_band(v_pool.used, p_limit) <> ledgerline_band(v_pool_used, p_limit) THEN
    INSERT INTO usage_alerts (org_id, user_id, metric, period_start, threshold, state, used, limit_value, created_at)
    SELECT p_org_id, '', 'ai_budget', p_period_start, x.threshold, x.state, e.u, p_limit, p_now
    FROM unnest(v_pool_afters, v_settled_costs, v_credits) WITH ORDINALITY AS e(u, cost, credit, i),
         ledgerline_crossings(e.u - (e.cost - e.credit), e.u, p_limit) x
    ORDER BY e.i, x.threshold;
  END IF;
  FOR m IN 1 .. cardinality(v_users) LOOP
    v_user := v_users[m];
    v_allocation := v_allocations[m];
    IF ledgerline_band(v_used_before[m], v_allocation) <> ledgerline_band(v_used[m], v_allocation) THEN
      INSERT INTO usage_alerts (org_id, user_id, metric, period_start, threshold, state, used, limit_value, created_at)
      SELECT p_org_id, v_user, 'ai_budget', p_period_start, x.threshold, x.state, e.u, v_allocation, p_now
      FROM unnest(v_entry_users, v_member_afters, v_settled_costs) WITH ORDINALITY AS e(uid, u, cost, i),
           ledgerline_crossings(e.u - e.cost, e.u, v_allocation) x
      WHERE e.uid = v_user
      ORDER BY e.i, x.threshold;
    END IF;
  END LOOP;

  IF cardinality(v_settled_ids) = 1 THEN
    INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, credit_micros, feature, tier, idempotency_key, created_at)
    VALUES (p_org_id, v_entry_users[1], 'ai_budget', p_period_start, v_settled_costs[1], v_credits[1], v_features[1], v_tiers[1], v_settled_ids[1], p_now),
           (p_org_id, v_entry_users[1], 'ai_tokens', p_period_start, v_settled_tokens[1], 0, v_features[1], v_tiers[1], v_settled_ids[1], p_now);
    INSERT INTO ai_spend AS s (org_id, period_start, feature, tier, spent_micros)
    VALUES (p_org_id, p_period_start, v_features[1], v_tiers[1], v_settled_costs[1])
    ON CONFLICT (org_id, period_start, feature, tier) DO UPDATE SET spent_micros = s.spent_micros + EXCLUDED.spent_micros;
  ELSE
    INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, credit_micros, feature, tier, idempotency_key, created_at)
    SELECT p_org_id, e.uid, x.metric, p_period_start, CASE x.metric WHEN 'ai_budget' THEN e.cost ELSE e.tokens END,
           CASE x.metric WHEN 'ai_budget' THEN e.credit ELSE 0 END, e.feature, e.tier, e.id, p_now
    FROM unnest(v_settled_ids, v_entry_users, v_features, v_tiers, v_settled_costs, v_credits, v_settled_tokens) WITH ORDINALITY
           AS e(id, uid, feature, tier, cost, credit, tokens, n),
         (VALUES (1, 'ai_budget'), (2, 'ai_tokens')) AS x(k, metric)
    ORDER BY e.n, x.k;
    INSERT INTO ai_spend AS s (org_id, period_start, feature, tier, spent_micros)
    SELECT p_org_id, p_period_start, e.feature, e.tier, sum(e.cost)
    FROM unnest(v_features, v_tiers, v_settled_costs) AS e(feature, tier, cost)
    GROUP BY e.feature, e.tier ORDER BY e.feature, e.tier
    ON CONFLICT (org_id, period_start, feature, tier) DO UPDATE SET spent_micros = s.spent_micros + EXCLUDED.spent_micros;
  END IF;
  INSERT INTO usage_daily AS d (org_id, metric, day, quantity)
  VALUES (p_org_id, 'ai_budget', (p_now AT TIME ZONE 'UTC')::date, v_total_cost),
         (p_org_id, 'ai_tokens', (p_now AT TIME ZONE 'UTC')::date, v_total_tokens)
  ON CONFLICT (org_id, metric, day) DO UPDATE SET quantity = d.quantity + EXCLUDED.quantity;
  IF v_top_up = 'pending' THEN
    RETURN QUERY SELECT 0, 'top_up_opened'::text, NULL::jsonb;
  END IF;
END $function$
