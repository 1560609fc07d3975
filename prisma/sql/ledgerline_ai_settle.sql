-- ledgerline_ai_settle: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261208010000_ai_holds_in_fewer_statements/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_ai_settle(p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamp with time zone, p_period_start timestamp with time zone, p_limit bigint, p_pool_ceiling bigint, p_authorization_ids text[], p_input_tokens bigint[], p_output_tokens bigint[], p_costs bigint[])
 RETURNS TABLE(idx integer, outcome text, answer_feature text, answer_tier text, answer_input_tokens bigint, answer_output_tokens bigint, answer_cost_micros bigint, answer_credit_micros bigint)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
-- One row per request (idx from 1): settled or replay with the settlement's figures, released, or
-- not_found. A refusal of the whole batch (not_found, unauthorized, stale) is one row with idx 0.
-- After the requests' rows, a row with idx 0 and outcome top_up_opened says the batch's draw
-- opened an automatic top-up of credits (ledgerline_auto_top_up), for the app to send at once.
-- Every hold named belongs to the period p_period_start (the app groups them by period).
-- The pool pays first, then free prepaid credits; the cost of work already done is recorded
-- even past the cap. Credits are drawn from the org's grants in draw order
-- (ledgerline_draw_credits).
DECLARE
  n int := cardinality(p_authorization_ids);
  v_refusal text := ledgerline_refusal(p_org_id, p_config_version, p_key_hash);
  v_holds ai_authorizations[];
  h ai_authorizations;
  v_outcomes text[] := array_fill(NULL::text, ARRAY[n]);
  a_features text[] := array_fill(NULL::text, ARRAY[n]);    -- each request's answer
  a_tiers text[] := array_fill(NULL::text, ARRAY[n]);
  a_inputs bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  a_outputs bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  a_costs bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  a_credits bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_first integer;
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
  v_input bigint;
  v_output bigint;
  v_cost bigint;
  v_user text;
  v_user_used bigint;
  v_user_held bigint;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT 0, v_refusal, NULL::text, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;
  v_pool := ledgerline_lock_counter(p_org_id, '', 'ai_budget', p_period_start);
  v_pool_used := v_pool.used;
  v_pool_held := v_pool.held;

  -- Every hold the batch names, locked and read in one statement, one probe of its primary key
  -- each (LIMIT 1 keeps each probe its own scan, whatever the statistics say).
  SELECT array_agg(a.hold ORDER BY r.i) INTO v_holds
  FROM unnest(p_authorization_ids) WITH ORDINALITY AS r(id, i)
  LEFT JOIN LATERAL (
    SELECT x AS hold FROM ai_authorizations x WHERE x.org_id = p_org_id AND x.id = r.id LIMIT 1 FOR UPDATE
  ) a ON true;

  FOR i IN 1 .. n LOOP
    h := v_holds[i];
    v_id := p_authorization_ids[i];
    v_first := array_position(v_settled_ids, v_id);
    IF v_first IS NOT NULL THEN
      -- Named twice in one batch: the second gets the first one's settlement.
      v_first := array_position(p_authorization_ids, v_id);
      v_outcomes[i] := 'replay';
      a_features[i] := a_features[v_first]; a_tiers[i] := a_tiers[v_first];
      a_inputs[i] := a_inputs[v_first]; a_outputs[i] := a_outputs[v_first];
      a_costs[i] := a_costs[v_first]; a_credits[i] := a_credits[v_first];
      CONTINUE;
    ELSIF h.id IS NULL THEN
      v_outcomes[i] := 'not_found';
      CONTINUE;
    ELSIF h.status = 'settled' THEN
      -- Settled before: its figures, or the JSON of a hold settled before they were kept.
      v_outcomes[i] := 'replay';
      a_features[i] := h.feature; a_tiers[i] := h.tier;
      a_inputs[i] := coalesce(h.settled_input_tokens, (h.settled_response ->> 'inputTokens')::bigint);
      a_outputs[i] := coalesce(h.settled_output_tokens, (h.settled_response ->> 'outputTokens')::bigint);
      a_costs[i] := coalesce(h.settled_cost_micros, (h.settled_response ->> 'costMicros')::bigint);
      a_credits[i] := coalesce(h.settled_credit_micros, (h.settled_response ->> 'creditMicros')::bigint);
      CONTINUE;
    ELSIF h.status = 'released' THEN
      v_outcomes[i] := 'released';
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

    v_input := p_input_tokens[i];
    v_output := p_output_tokens[i];
    v_cost := p_costs[i];
    v_tokens := v_input + v_output;
    UPDATE ai_authorizations a SET status = 'settled', settled_input_tokens = v_input, settled_output_tokens = v_output,
      settled_cost_micros = v_cost, settled_credit_micros = v_credit
    WHERE a.org_id = p_org_id AND a.id = v_id;
    v_outcomes[i] := 'settled';
    a_features[i] := h.feature; a_tiers[i] := h.tier;
    a_inputs[i] := v_input; a_outputs[i] := v_output; a_costs[i] := v_cost; a_credits[i] := v_credit;
    v_settled_ids := v_settled_ids || h.id;
    v_entry_users := v_entry_users || h.user_id;
    v_features := v_features || h.feature;
    v_tiers := v_tiers || h.tier;
    v_settled_costs := v_settled_costs || v_cost;
    v_credits := v_credits || v_credit;
    v_settled_tokens := v_settled_tokens || v_tokens;
    v_total_cost := v_total_cost + v_cost;
    v_total_tokens := v_total_tokens + v_tokens;
  END LOOP;

  IF cardinality(v_settled_ids) > 0 THEN
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
  END IF;

  -- Every request's answer in one statement, in order; then whether the draw opened a top-up.
  RETURN QUERY SELECT r.i::int, r.o, r.f, r.t, r.input, r.output, r.cost, r.credit
    FROM unnest(v_outcomes, a_features, a_tiers, a_inputs, a_outputs, a_costs, a_credits) WITH ORDINALITY AS r(o, f, t, input, output, cost, credit, i);
  IF v_top_up = 'pending' THEN
    RETURN QUERY SELECT 0, 'top_up_opened'::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint;
  END IF;
END $function$
