-- ledgerline_auto_top_up: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261204000000_auto_top_up/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_auto_top_up(p_org_id text, p_before bigint, p_after bigint, p_now timestamp with time zone)
 RETURNS text
 LANGUAGE plpgsql
AS $function$
-- Called by settle, under the org's credit_accounts row lock, once its draw has moved the balance
-- from p_before to p_after. A crossing of the threshold (p_before at or above it, p_after below)
-- with auto top-up on and no top-up outstanding opens one: 'pending'. If this UTC month's pending,
-- sent and succeeded top-ups plus this one would pass the monthly cap, it is 'refused' instead,
-- written (with a notification to each admin and an audit entry) once a month at most. NULL when
-- nothing was written. Expiries are not draws: credits that expire open no top-up.
DECLARE
  s auto_top_up_settings;
  v_month timestamptz := date_trunc('month', p_now AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  v_next_month timestamptz := (date_trunc('month', p_now AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  v_bought bigint;
  v_id bigint;
BEGIN
  SELECT * INTO s FROM auto_top_up_settings x WHERE x.org_id = p_org_id;
  IF NOT FOUND OR NOT s.enabled OR p_before < s.threshold_micros OR p_after >= s.threshold_micros THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM credit_top_ups t WHERE t.org_id = p_org_id AND t.status IN ('pending', 'sent')) THEN
    RETURN NULL;
  END IF;
  SELECT coalesce(sum(t.amount_micros), 0) INTO v_bought FROM credit_top_ups t
  WHERE t.org_id = p_org_id AND t.status IN ('pending', 'sent', 'succeeded') AND t.created_at >= v_month AND t.created_at < v_next_month;
  IF v_bought + s.amount_micros > s.monthly_cap_micros THEN
    IF EXISTS (SELECT 1 FROM credit_top_ups t WHERE t.org_id = p_org_id AND t.status = 'refused' AND t.created_at >= v_month AND t.created_at < v_next_month) THEN
      RETURN NULL;
    END IF;
    INSERT INTO credit_top_ups (org_id, status, amount_micros, created_at, updated_at)
    VALUES (p_org_id, 'refused', s.amount_micros, p_now, p_now)
    RETURNING id INTO v_id;
    INSERT INTO notifications (org_id, user_id, top_up_id, created_at)
    SELECT p_org_id, m.user_id, v_id, p_now FROM memberships m
    WHERE m.org_id = p_org_id AND m.role = ANY (ledgerline_admin_roles())
    ORDER BY m.user_id
    ON CONFLICT DO NOTHING;
    INSERT INTO audit_entries (org_id, actor, action, after, created_at)
    VALUES (p_org_id, 'system:auto_top_up', 'auto_top_up_refused', jsonb_build_object(
      'topUpId', v_id::text, 'amountMicros', s.amount_micros, 'boughtThisMonthMicros', v_bought, 'monthlyCapMicros', s.monthly_cap_micros), p_now);
    RETURN 'refused';
  END IF;
  INSERT INTO credit_top_ups (org_id, status, amount_micros, created_at, updated_at)
  VALUES (p_org_id, 'pending', s.amount_micros, p_now, p_now)
  ON CONFLICT (org_id) WHERE status IN ('pending', 'sent') DO NOTHING;
  RETURN CASE WHEN FOUND THEN 'pending' END;
END $function$
