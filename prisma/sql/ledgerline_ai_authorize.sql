-- ledgerline_ai_authorize: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261208010000_ai_holds_in_fewer_statements/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_ai_authorize(p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamp with time zone, p_period_start timestamp with time zone, p_pool_ceiling bigint, p_expires_at timestamp with time zone, p_authorization_ids text[], p_user_ids text[], p_allocation_ceilings bigint[], p_holds bigint[], p_features text[], p_models text[], p_tiers text[])
 RETURNS TABLE(idx integer, outcome text, used bigint)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
-- One row per request (idx from 1): authorized, denied_pool or denied_user, with the pool's or
-- the member's use. A refusal of the whole batch (not_found, unauthorized, stale, paused) is one
-- row with idx 0.
DECLARE
  n int := cardinality(p_holds);
  v_refusal text := ledgerline_refusal(p_org_id, p_config_version, p_key_hash, true);
  v_outcomes text[] := array_fill(NULL::text, ARRAY[n]);
  v_results bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_pool record;
  v_pool_held bigint;
  v_pool_blocked integer := 0;
  v_credits_locked boolean := false;
  v_balance bigint;
  v_credits_held bigint;
  v_credits_held_before bigint;
  v_next_expiry timestamptz;
  v_users text[] := '{}';
  v_used bigint[] := '{}';
  v_held bigint[] := '{}';
  v_held_before bigint[] := '{}';
  v_blocked integer[] := '{}';
  v_member record;
  v_m integer;
  v_pool_hold bigint;
  v_pool_holds bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_from_credits bigint;
  v_user text;
  v_user_held bigint;
  v_user_blocked integer;
  h record;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT 0, v_refusal, NULL::bigint;
    RETURN;
  END IF;

  -- Expired holds give their reservations back, oldest first, at most 1,000 a call. The probe
  -- reads ai_authorizations_held_idx in its own order, so no plan can prefer another index, and
  -- each expired hold is then updated by its whole primary key. (An UPDATE ... WHERE id =
  -- ANY(ARRAY(probe)) was planned, from statistics that said the table was empty, as a scan of
  -- every hold of the org filtered by the array: every authorize read them all.)
  FOR h IN
    SELECT x.id, x.user_id, x.period_start, x.hold_micros, x.pool_hold_micros FROM ai_authorizations x
    WHERE x.org_id = p_org_id AND x.status = 'held' AND x.expires_at <= p_now
    ORDER BY x.expires_at LIMIT 1000
    FOR UPDATE SKIP LOCKED
  LOOP
    UPDATE ai_authorizations a SET status = 'expired' WHERE a.org_id = p_org_id AND a.id = h.id;
    PERFORM ledgerline_ai_unhold(p_org_id, h.user_id, h.period_start, h.hold_micros, h.pool_hold_micros);
  END LOOP;

  -- Each request is decided before anything is written: the pool takes what fits under its
  -- ceiling, free prepaid credits must cover the rest, and the member's allocation must fit it all.
  v_pool := ledgerline_lock_counter(p_org_id, '', 'ai_budget', p_period_start);
  v_pool_held := v_pool.held;
  FOR i IN 1 .. n LOOP
    v_pool_hold := ledgerline_pool_part(p_holds[i], v_pool.used, v_pool_held, p_pool_ceiling);
    v_from_credits := p_holds[i] - v_pool_hold;
    IF v_from_credits > 0 AND NOT v_credits_locked THEN
      SELECT a.balance_micros, a.held_micros, a.next_expiry_at INTO v_balance, v_credits_held, v_next_expiry
      FROM credit_accounts a WHERE a.org_id = p_org_id FOR UPDATE;
      -- Grants past their expiry leave the balance before anything is decided on it.
      IF v_next_expiry <= p_now THEN
        v_balance := v_balance - ledgerline_expire_credits(p_org_id, p_now);
      END IF;
      v_balance := coalesce(v_balance, 0);
      v_credits_held := coalesce(v_credits_held, 0);
      v_credits_held_before := v_credits_held;
      v_credits_locked := true;
    END IF;
    IF v_from_credits > 0 AND NOT ledgerline_fits(0, v_credits_held, v_from_credits, v_balance) THEN
      v_pool_blocked := v_pool_blocked + 1;
      v_outcomes[i] := 'denied_pool';
      v_results[i] := v_pool.used;
      CONTINUE;
    END IF;
    v_m := array_position(v_users, p_user_ids[i]);
    IF v_m IS NULL THEN
      v_member := ledgerline_lock_counter(p_org_id, p_user_ids[i], 'ai_budget', p_period_start);
      v_users := v_users || p_user_ids[i];
      v_used := v_used || v_member.used;
      v_held := v_held || v_member.held;
      v_held_before := v_held_before || v_member.held;
      v_blocked := v_blocked || 0;
      v_m := cardinality(v_users);
    END IF;
    IF NOT ledgerline_fits(v_used[v_m], v_held[v_m], p_holds[i], p_allocation_ceilings[i]) THEN
      v_blocked[v_m] := v_blocked[v_m] + 1;
      v_outcomes[i] := 'denied_user';
      v_results[i] := v_used[v_m];
      CONTINUE;
    END IF;
    v_pool_held := v_pool_held + v_pool_hold;
    IF v_from_credits > 0 THEN
      v_credits_held := v_credits_held + v_from_credits;
    END IF;
    v_held[v_m] := v_held[v_m] + p_holds[i];
    v_pool_holds[i] := v_pool_hold;
    v_outcomes[i] := 'authorized';
    v_results[i] := v_pool.used;
  END LOOP;

  IF v_pool_held <> v_pool.held OR v_pool_blocked > 0 THEN
    UPDATE usage_counters c SET held = v_pool_held, blocked = c.blocked + v_pool_blocked
    WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
  END IF;
  IF v_credits_held IS DISTINCT FROM v_credits_held_before THEN
    UPDATE credit_accounts a SET held_micros = v_credits_held WHERE a.org_id = p_org_id;
  END IF;
  FOR m IN 1 .. cardinality(v_users) LOOP
    IF v_held[m] <> v_held_before[m] OR v_blocked[m] > 0 THEN
      v_user := v_users[m];
      v_user_held := v_held[m];
      v_user_blocked := v_blocked[m];
      UPDATE usage_counters c SET held = v_user_held, blocked = c.blocked + v_user_blocked
      WHERE c.org_id = p_org_id AND c.user_id = v_user AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
    END IF;
  END LOOP;
  IF n = 1 THEN
    -- VALUES for a lone request: on Citus an INSERT ... SELECT passes through an intermediate result.
    IF v_pool_holds[1] IS NOT NULL THEN
      INSERT INTO ai_authorizations (id, org_id, user_id, feature, model, tier, period_start, hold_micros, pool_hold_micros, expires_at, created_at)
      VALUES (p_authorization_ids[1], p_org_id, p_user_ids[1], p_features[1], p_models[1], p_tiers[1], p_period_start, p_holds[1], v_pool_holds[1], p_expires_at, p_now);
    END IF;
  ELSE
    INSERT INTO ai_authorizations (id, org_id, user_id, feature, model, tier, period_start, hold_micros, pool_hold_micros, expires_at, created_at)
    SELECT e.id, p_org_id, e.uid, e.feature, e.model, e.tier, p_period_start, e.hold, e.pool_hold, p_expires_at, p_now
    FROM unnest(p_authorization_ids, p_user_ids, p_features, p_models, p_tiers, p_holds, v_pool_holds) AS e(id, uid, feature, model, tier, hold, pool_hold)
    WHERE e.pool_hold IS NOT NULL;
  END IF;
  -- Every request's answer in one statement, in order.
  RETURN QUERY SELECT r.i::int, r.o, r.u FROM unnest(v_outcomes, v_results) WITH ORDINALITY AS r(o, u, i);
END $function$
