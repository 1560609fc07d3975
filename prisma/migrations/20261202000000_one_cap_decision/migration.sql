-- One cap decision for every path.
--
-- ledgerline_fits is the only statement of "does this quantity fit": the consume run and
-- ledgerline_consume (which ask it from 20261202120000_enforcement_on_one_worker on),
-- ledgerline_ai_authorize (the member's allocation and the prepaid credits) and check
-- (readFit in lib/metering/counters.ts, a dry run of the same call) all ask it. The app turns a
-- limit into a ceiling (lib/limits/cap-policy.ts: hard, soft +10%, none), and every function
-- receives ceilings, the AI ones included, so a metric's cap kind in lib/limits/metrics.ts is
-- what the store enforces.
--
-- The alert thresholds (80/90/100) reach SQL through ledgerline_usage_thresholds(), which the
-- migration runner rewrites from lib/limits/thresholds.ts after every run
-- (lib/db/generated-functions.ts); the body below is only its first value.
--
-- The AI functions now also filter every statement on ai_authorizations by org_id, so each one
-- touches the org's rows only.

CREATE FUNCTION ledgerline_fits(p_used bigint, p_held bigint, p_quantity bigint, p_ceiling bigint)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  -- A release (negative) always fits; otherwise use, open holds and the request stay within the ceiling (NULL: none).
  -- Zero is a request like any other: refused on a counter already past its ceiling (after a downgrade).
  SELECT p_quantity < 0 OR p_ceiling IS NULL OR p_used + p_held + p_quantity <= p_ceiling
$$;

-- The part of `amount` a pool with this ceiling can still take (all of it when it has none); credits cover the rest.
CREATE FUNCTION ledgerline_pool_part(p_amount bigint, p_used bigint, p_held bigint, p_ceiling bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_ceiling IS NULL THEN p_amount ELSE least(p_amount, greatest(0, p_ceiling - p_used - p_held)) END
$$;

CREATE FUNCTION ledgerline_usage_thresholds()
RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ARRAY[80, 90, 100] $$;

-- The band is how many thresholds `used` has reached: an alert fires when it changes.
CREATE OR REPLACE FUNCTION ledgerline_band(used bigint, lim bigint)
RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN lim IS NULL OR lim <= 0 THEN 0
    ELSE (SELECT count(*)::int FROM unnest(ledgerline_usage_thresholds()) AS t WHERE used * 100 >= t * lim) END
$$;

CREATE OR REPLACE FUNCTION ledgerline_crossings(before bigint, after bigint, lim bigint)
RETURNS TABLE(threshold integer, state text) LANGUAGE sql IMMUTABLE AS $$
  SELECT t, CASE WHEN after > before THEN 'raised' ELSE 'resolved' END
  FROM unnest(ledgerline_usage_thresholds()) AS t
  WHERE lim IS NOT NULL AND lim > 0
    AND ((before * 100 < t * lim AND after * 100 >= t * lim) OR (after * 100 < t * lim AND before * 100 >= t * lim))
$$;


-- AI authorize receives the pool's ceiling and the member's allocation ceiling (was: the limit and the allocation).
DROP FUNCTION ledgerline_ai_authorize(text, bigint, text, timestamptz, text, timestamptz, bigint, bigint, bigint, text, text, text, text, timestamptz);
CREATE FUNCTION ledgerline_ai_authorize(p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamptz, p_user_id text, p_period_start timestamptz, p_pool_ceiling bigint, p_allocation_ceiling bigint, p_hold bigint, p_authorization_id text, p_feature text, p_model text, p_tier text, p_expires_at timestamptz)
RETURNS TABLE(outcome text, used bigint) LANGUAGE plpgsql AS $$
DECLARE
  v_refusal text := ledgerline_refusal(p_org_id, p_config_version, p_key_hash);
  v_pool record;
  v_member record;
  v_pool_hold bigint;
  v_from_credits bigint;
  v_credits record;
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
    UPDATE ai_authorizations a SET status = 'expired'
    WHERE a.org_id = p_org_id AND a.id IN (
      SELECT x.id FROM ai_authorizations x
      WHERE x.org_id = p_org_id AND x.status = 'held' AND x.expires_at <= p_now
      ORDER BY x.id FOR UPDATE SKIP LOCKED)
    RETURNING a.user_id, a.period_start, a.hold_micros, a.pool_hold_micros
  LOOP
    PERFORM ledgerline_ai_unhold(p_org_id, h.user_id, h.period_start, h.hold_micros, h.pool_hold_micros);
  END LOOP;

  -- Decide before writing anything: the pool takes what fits under its ceiling,
  -- free prepaid credits must cover the rest, and the member's allocation must fit it all.
  v_pool := ledgerline_lock_counter(p_org_id, '', 'ai_budget', p_period_start);
  v_pool_hold := ledgerline_pool_part(p_hold, v_pool.used, v_pool.held, p_pool_ceiling);
  v_from_credits := p_hold - v_pool_hold;
  IF v_from_credits > 0 THEN
    SELECT a.balance_micros, a.held_micros INTO v_credits FROM credit_accounts a WHERE a.org_id = p_org_id FOR UPDATE;
    IF NOT ledgerline_fits(0, coalesce(v_credits.held_micros, 0), v_from_credits, coalesce(v_credits.balance_micros, 0)) THEN
      UPDATE usage_counters c SET blocked = c.blocked + 1
      WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
      RETURN QUERY SELECT 'denied_pool'::text, v_pool.used;
      RETURN;
    END IF;
  END IF;
  v_member := ledgerline_lock_counter(p_org_id, p_user_id, 'ai_budget', p_period_start);
  IF NOT ledgerline_fits(v_member.used, v_member.held, p_hold, p_allocation_ceiling) THEN
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

-- AI settle splits the cost at the pool's ceiling (was: its limit); its alerts are still taken against the limit.
DROP FUNCTION ledgerline_ai_settle(text, bigint, text, timestamptz, text, bigint, bigint, bigint, bigint);
CREATE FUNCTION ledgerline_ai_settle(p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamp with time zone, p_authorization_id text, p_input_tokens bigint, p_output_tokens bigint, p_cost bigint, p_limit bigint, p_pool_ceiling bigint)
 RETURNS TABLE(outcome text, response jsonb)
 LANGUAGE plpgsql
AS $function$
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
  v_pool_part := ledgerline_pool_part(p_cost, v_pool.used, v_pool.held, p_pool_ceiling);
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
  UPDATE ai_authorizations a SET status = 'settled', settled_response = v_response WHERE a.org_id = p_org_id AND a.id = h.id;
  RETURN QUERY SELECT 'settled'::text, v_response;
END $function$;

-- AI release: its update filters by org as well.
CREATE OR REPLACE FUNCTION public.ledgerline_ai_release(p_org_id text, p_key_hash text, p_authorization_id text)
 RETURNS text
 LANGUAGE plpgsql
AS $function$
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
    UPDATE ai_authorizations a SET status = 'released' WHERE a.org_id = p_org_id AND a.id = h.id;
    RETURN 'released';
  END IF;
  RETURN h.status;
END $function$;
