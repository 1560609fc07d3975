-- ledgerline_ai_authorize: its live definition, as Postgres prints it once every migration has run.
-- Last defined by prisma/migrations/20261127300000_ai_holds_in_sql/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_ai_authorize(p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamp with time zone, p_user_id text, p_period_start timestamp with time zone, p_limit bigint, p_allocation bigint, p_hold bigint, p_authorization_id text, p_feature text, p_model text, p_tier text, p_expires_at timestamp with time zone)
 RETURNS TABLE(outcome text, used bigint)
 LANGUAGE plpgsql
AS $function$
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
END $function$
