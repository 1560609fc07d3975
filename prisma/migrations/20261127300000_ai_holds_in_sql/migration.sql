-- AI authorize, settle and release in one round trip each, as consume is.
--
-- The app prices the call and works out the org's terms (lib/metering/ai-holds.ts);
-- these functions check the org's version and the API key (ledgerline_refusal),
-- lock, decide and write in one call. Same rules as before: a hold is taken on the org's pool,
-- then on its free prepaid credits, and on the member's allocation, all or
-- nothing; settle charges the actual cost (pool first, then credits, the rest
-- on the pool), records ledger, daily rollup, AI spend, tokens and threshold
-- alerts, and releases the hold. Expired holds free themselves on the org's
-- next authorize. Lock order everywhere: hold, pool counter, credit account,
-- member counter. A refused authorize counts one blocked request on the
-- counter that refused it and holds nothing (expired holds it freed stay freed).

-- Gives a hold's reservations back to the pool, the credits and the member.
-- (PL/pgSQL, like ledgerline_refusal, so that its plans are kept for the session.)
CREATE FUNCTION ledgerline_ai_unhold(p_org_id text, p_user_id text, p_period_start timestamptz, p_hold bigint, p_pool_hold bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE usage_counters c SET held = greatest(c.held - p_pool_hold, 0)
  WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
  IF p_hold > p_pool_hold THEN
    UPDATE credit_accounts a SET held_micros = greatest(a.held_micros - (p_hold - p_pool_hold), 0) WHERE a.org_id = p_org_id;
  END IF;
  UPDATE usage_counters c SET held = greatest(c.held - p_hold, 0)
  WHERE c.org_id = p_org_id AND c.user_id = p_user_id AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
END $$;

-- Creates a counter if needed and locks it; returns (used, held).
CREATE FUNCTION ledgerline_lock_counter(p_org_id text, p_user_id text, p_metric text, p_period_start timestamptz, OUT used bigint, OUT held bigint)
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_counters AS c (org_id, user_id, metric, period_start) VALUES (p_org_id, p_user_id, p_metric, p_period_start)
  ON CONFLICT (org_id, user_id, metric, period_start) DO UPDATE SET used = c.used
  RETURNING c.used, c.held INTO used, held;
END $$;

-- Outcomes: authorized, paused, denied_pool, denied_user (with the refusing
-- counter's used), or not_found, unauthorized, stale.
CREATE FUNCTION ledgerline_ai_authorize(
  p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamptz,
  p_user_id text, p_period_start timestamptz, p_limit bigint, p_allocation bigint, p_hold bigint,
  p_authorization_id text, p_feature text, p_model text, p_tier text, p_expires_at timestamptz
) RETURNS TABLE (outcome text, used bigint) LANGUAGE plpgsql AS $$
DECLARE
  v_refusal text := ledgerline_refusal(p_org_id, p_config_version, p_key_hash);
  v_pool record;
  v_member record;
  v_pool_hold bigint;
  v_from_credits bigint;
  v_free bigint;
  h record;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT v_refusal, NULL::bigint;
    RETURN;
  END IF;
  -- Read here, not from the app's cache: a failed payment pauses AI at once.
  IF (SELECT o.ai_paused FROM orgs o WHERE o.id = p_org_id) THEN
    RETURN QUERY SELECT 'paused'::text, NULL::bigint;
    RETURN;
  END IF;

  FOR h IN
    UPDATE ai_authorizations SET status = 'expired'
    WHERE id IN (
      SELECT a.id FROM ai_authorizations a
      WHERE a.org_id = p_org_id AND a.status = 'held' AND a.expires_at <= p_now
      ORDER BY a.id FOR UPDATE SKIP LOCKED)
    RETURNING ai_authorizations.user_id, ai_authorizations.period_start, hold_micros, pool_hold_micros
  LOOP
    PERFORM ledgerline_ai_unhold(p_org_id, h.user_id, h.period_start, h.hold_micros, h.pool_hold_micros);
  END LOOP;

  -- Decide before writing anything: pool, then credits, then the member.
  v_pool := ledgerline_lock_counter(p_org_id, '', 'ai_budget', p_period_start);
  v_pool_hold := CASE WHEN p_limit IS NULL THEN p_hold ELSE least(p_hold, greatest(0, p_limit - v_pool.used - v_pool.held)) END;
  v_from_credits := p_hold - v_pool_hold;
  IF v_from_credits > 0 THEN
    SELECT a.balance_micros - a.held_micros INTO v_free FROM credit_accounts a WHERE a.org_id = p_org_id FOR UPDATE;
    IF coalesce(v_free, 0) < v_from_credits THEN
      UPDATE usage_counters c SET blocked = c.blocked + 1
      WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
      RETURN QUERY SELECT 'denied_pool'::text, v_pool.used;
      RETURN;
    END IF;
  END IF;
  v_member := ledgerline_lock_counter(p_org_id, p_user_id, 'ai_budget', p_period_start);
  IF p_allocation IS NOT NULL AND v_member.used + v_member.held + p_hold > p_allocation THEN
    UPDATE usage_counters c SET blocked = c.blocked + 1
    WHERE c.org_id = p_org_id AND c.user_id = p_user_id AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
    RETURN QUERY SELECT 'denied_user'::text, v_member.used;
    RETURN;
  END IF;

  UPDATE usage_counters c SET held = c.held + v_pool_hold
  WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
  IF v_from_credits > 0 THEN
    UPDATE credit_accounts a SET held_micros = a.held_micros + v_from_credits WHERE a.org_id = p_org_id;
  END IF;
  UPDATE usage_counters c SET held = c.held + p_hold
  WHERE c.org_id = p_org_id AND c.user_id = p_user_id AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
  INSERT INTO ai_authorizations (id, org_id, user_id, feature, model, tier, period_start, hold_micros, pool_hold_micros, expires_at, created_at)
  VALUES (p_authorization_id, p_org_id, p_user_id, p_feature, p_model, p_tier, p_period_start, p_hold, v_pool_hold, p_expires_at, p_now);
  RETURN QUERY SELECT 'authorized'::text, v_pool.used;
END $$;

-- Records the threshold alerts a counter's move from p_before to p_after crosses.
CREATE FUNCTION ledgerline_record_crossings(
  p_org_id text, p_user_id text, p_metric text, p_period_start timestamptz, p_before bigint, p_after bigint, p_limit bigint, p_now timestamptz
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ledgerline_band(p_before, p_limit) <> ledgerline_band(p_after, p_limit) THEN
    INSERT INTO usage_alerts (org_id, user_id, metric, period_start, threshold, state, used, limit_value, created_at)
    SELECT p_org_id, p_user_id, p_metric, p_period_start, x.threshold, x.state, p_after, p_limit, p_now
    FROM ledgerline_crossings(p_before, p_after, p_limit) x;
  END IF;
END $$;

-- Outcomes: settled (now) or replay (earlier), each with the settlement;
-- released; or not_found, unauthorized, stale.
CREATE FUNCTION ledgerline_ai_settle(
  p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamptz,
  p_authorization_id text, p_input_tokens bigint, p_output_tokens bigint, p_cost bigint, p_limit bigint
) RETURNS TABLE (outcome text, response jsonb) LANGUAGE plpgsql AS $$
DECLARE
  v_refusal text := ledgerline_refusal(p_org_id, p_config_version, p_key_hash);
  h ai_authorizations;
  v_pool record;
  v_pool_part bigint;
  v_credit bigint;
  v_free bigint;
  v_member_before bigint;
  v_allocation bigint;
  v_tokens bigint := p_input_tokens + p_output_tokens;
  v_response jsonb;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT v_refusal, NULL::jsonb;
    RETURN;
  END IF;
  SELECT * INTO h FROM ai_authorizations a WHERE a.id = p_authorization_id AND a.org_id = p_org_id FOR UPDATE;
  IF h.id IS NULL THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::jsonb;
    RETURN;
  ELSIF h.status = 'settled' THEN
    RETURN QUERY SELECT 'replay'::text, h.settled_response;
    RETURN;
  ELSIF h.status = 'released' THEN
    RETURN QUERY SELECT 'released'::text, NULL::jsonb;
    RETURN;
  ELSIF h.status = 'held' THEN
    -- An expired hold has already given its reservations back.
    PERFORM ledgerline_ai_unhold(p_org_id, h.user_id, h.period_start, h.hold_micros, h.pool_hold_micros);
  END IF;

  v_pool := ledgerline_lock_counter(p_org_id, '', 'ai_budget', h.period_start);
  v_pool_part := CASE WHEN p_limit IS NULL THEN p_cost ELSE least(p_cost, greatest(0, p_limit - v_pool.used - v_pool.held)) END;
  SELECT a.balance_micros - a.held_micros INTO v_free FROM credit_accounts a WHERE a.org_id = p_org_id FOR UPDATE;
  v_credit := least(p_cost - v_pool_part, coalesce(v_free, 0));
  UPDATE usage_counters c SET used = c.used + (p_cost - v_credit)
  WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = 'ai_budget' AND c.period_start = h.period_start;
  PERFORM ledgerline_record_crossings(p_org_id, '', 'ai_budget', h.period_start, v_pool.used, v_pool.used + p_cost - v_credit, p_limit, p_now);
  IF v_credit > 0 THEN
    WITH posted AS (
      INSERT INTO credit_ledger (org_id, kind, amount_micros, reference) VALUES (p_org_id, 'draw_down', -v_credit, h.id)
      ON CONFLICT (org_id, reference) DO NOTHING RETURNING amount_micros
    )
    INSERT INTO credit_accounts AS a (org_id, balance_micros) SELECT p_org_id, amount_micros FROM posted
    ON CONFLICT (org_id) DO UPDATE SET balance_micros = a.balance_micros + EXCLUDED.balance_micros;
  END IF;

  v_member_before := (ledgerline_lock_counter(p_org_id, h.user_id, 'ai_budget', h.period_start)).used;
  UPDATE usage_counters c SET used = c.used + p_cost
  WHERE c.org_id = p_org_id AND c.user_id = h.user_id AND c.metric = 'ai_budget' AND c.period_start = h.period_start;
  SELECT m.ai_allocation_micros INTO v_allocation FROM memberships m WHERE m.org_id = p_org_id AND m.user_id = h.user_id;
  PERFORM ledgerline_record_crossings(p_org_id, h.user_id, 'ai_budget', h.period_start, v_member_before, v_member_before + p_cost, v_allocation, p_now);

  WITH entries AS (
    INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, credit_micros, feature, tier, idempotency_key)
    VALUES (p_org_id, h.user_id, 'ai_budget', h.period_start, p_cost, v_credit, h.feature, h.tier, h.id),
           (p_org_id, h.user_id, 'ai_tokens', h.period_start, v_tokens, 0, h.feature, h.tier, h.id)
    RETURNING org_id, metric, created_at, quantity
  )
  INSERT INTO usage_daily AS d (org_id, metric, day, quantity)
  SELECT org_id, metric, (created_at AT TIME ZONE 'UTC')::date, quantity FROM entries
  ON CONFLICT (org_id, metric, day) DO UPDATE SET quantity = d.quantity + EXCLUDED.quantity;
  INSERT INTO ai_spend AS s (org_id, period_start, feature, tier, spent_micros)
  VALUES (p_org_id, h.period_start, h.feature, h.tier, p_cost)
  ON CONFLICT (org_id, period_start, feature, tier) DO UPDATE SET spent_micros = s.spent_micros + EXCLUDED.spent_micros;
  INSERT INTO usage_counters AS c (org_id, user_id, metric, period_start, used) VALUES (p_org_id, '', 'ai_tokens', h.period_start, v_tokens)
  ON CONFLICT (org_id, user_id, metric, period_start) DO UPDATE SET used = c.used + EXCLUDED.used;

  v_response := jsonb_build_object(
    'authorizationId', h.id, 'status', 'settled', 'feature', h.feature, 'tier', h.tier,
    'inputTokens', p_input_tokens, 'outputTokens', p_output_tokens, 'costMicros', p_cost, 'creditMicros', v_credit);
  UPDATE ai_authorizations a SET status = 'settled', settled_response = v_response WHERE a.id = h.id;
  RETURN QUERY SELECT 'settled'::text, v_response;
END $$;

-- Outcomes: released, expired, settled, or not_found, unauthorized.
CREATE FUNCTION ledgerline_ai_release(p_org_id text, p_key_hash text, p_authorization_id text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_refusal text := ledgerline_refusal(p_org_id, NULL, p_key_hash);
  h ai_authorizations;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN v_refusal;
  END IF;
  SELECT * INTO h FROM ai_authorizations a WHERE a.id = p_authorization_id AND a.org_id = p_org_id FOR UPDATE;
  IF h.id IS NULL THEN
    RETURN 'not_found';
  ELSIF h.status = 'held' THEN
    PERFORM ledgerline_ai_unhold(p_org_id, h.user_id, h.period_start, h.hold_micros, h.pool_hold_micros);
    UPDATE ai_authorizations a SET status = 'released' WHERE a.id = h.id;
    RETURN 'released';
  END IF;
  RETURN h.status;
END $$;
