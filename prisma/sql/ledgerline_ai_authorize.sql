-- ledgerline_ai_authorize: its live definition, as Postgres prints it once every migration has run.
-- Last defined by prisma/migrations/20261202000000_one_cap_decision/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_ai_authorize(p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamp with time zone, p_user_id text, p_period_start timestamp with time zone, p_pool_ceiling bigint, p_allocation_ceiling bigint, p_hold bigint, p_authorization_id text, p_feature text, p_model text, p_tier text, p_expires_at timestamp with time zone)
 RETURNS TABLE(outcome text, used bigint)
 LANGUAGE plpgsql
AS $function$
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
END $function$
