-- ledgerline_ai_settle: its live definition, as Postgres prints it once every migration has run.
-- Last defined by prisma/migrations/20261202000000_one_cap_decision/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_ai_settle(p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamp with time zone, p_authorization_id text, p_input_tokens bigint, p_output_tokens bigint, p_cost bigint, p_limit bigint, p_pool_ceiling bigint)
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
END $function$
