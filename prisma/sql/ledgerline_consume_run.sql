-- ledgerline_consume_run: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261206010000_enforcement_plans_by_index/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_consume_run(p_org_id text, p_config_version bigint, p_key_hash text, p_touch_key boolean, p_now timestamp with time zone, p_metric text, p_period_start timestamp with time zone, p_ceiling bigint, p_limit bigint, p_resets_at text, p_keys text[], p_hashes text[], p_quantities bigint[], p_user_ids text[])
 RETURNS bigint[]
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
-- A run of fresh, distinct keys on one org counter, quantities not negative, no allocation to
-- check: admitted whole if it fits, and the counter's use after each event is returned; NULL
-- when it does not fit, the org's version is stale or the key is refused (nothing written: the
-- app then asks ledgerline_consume, which decides event by event). A key already taken fails the
-- key insert on its unique index (23505) and undoes everything.
DECLARE
  v_total bigint := (SELECT sum(q) FROM unnest(p_quantities) AS q);
  v_before bigint;
  v_used bigint[];
BEGIN
  -- The conditional update decides for the whole run (re-checked on the latest row version when
  -- requests race); the org and key checks are ledgerline_refusal's, inline, as one statement.
  UPDATE usage_counters c SET used = c.used + v_total
  WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = p_metric AND c.period_start = p_period_start
    AND ledgerline_fits(c.used, c.held, v_total, p_ceiling)
    AND EXISTS (SELECT 1 FROM orgs o WHERE o.id = p_org_id AND o.config_version = p_config_version)
    AND (p_key_hash IS NULL OR EXISTS (SELECT 1 FROM api_keys k WHERE k.key_hash = p_key_hash AND k.org_id = p_org_id AND k.revoked_at IS NULL))
  RETURNING c.used - v_total INTO v_before;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF p_touch_key THEN
    INSERT INTO api_key_uses AS u (org_id, key_hash, last_used_at) VALUES (p_org_id, p_key_hash, p_now)
    ON CONFLICT (org_id, key_hash) DO UPDATE SET last_used_at = EXCLUDED.last_used_at;
  END IF;
  SELECT array_agg(v_before + upto ORDER BY i) INTO v_used
  FROM (SELECT i, sum(q) OVER (ORDER BY i) AS upto FROM unnest(p_quantities) WITH ORDINALITY AS e(q, i)) s;

  -- The keys are not looked up first: the insert's own unique check does it. (Not ON CONFLICT
  -- DO NOTHING and a row count: on Citus an INSERT ... SELECT reports the rows it was sent.)
  -- A lone event, the common case, is written with VALUES: on Citus an INSERT ... SELECT passes
  -- through an intermediate result, which cost a lone consume about 30% of its rate there.
  IF cardinality(p_keys) = 1 THEN
    INSERT INTO idempotency_keys (org_id, key, request_digest, status, used, limit_value, resets_at, created_at)
    VALUES (p_org_id, p_keys[1], decode(p_hashes[1], 'hex'), 200, v_used[1], p_limit, p_resets_at, p_now);
    IF p_quantities[1] <> 0 THEN
      INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, idempotency_key, created_at)
      VALUES (p_org_id, p_user_ids[1], p_metric, p_period_start, p_quantities[1], p_keys[1], p_now);
    END IF;
  ELSE
    INSERT INTO idempotency_keys (org_id, key, request_digest, status, used, limit_value, resets_at, created_at)
    SELECT p_org_id, k, decode(h, 'hex'), 200, u, p_limit, p_resets_at, p_now
    FROM unnest(p_keys, p_hashes, v_used) AS e(k, h, u) ORDER BY k;
    INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, idempotency_key, created_at)
    SELECT p_org_id, uid, p_metric, p_period_start, q, k, p_now FROM unnest(p_user_ids, p_quantities, p_keys) AS e(uid, q, k) WHERE q <> 0;
  END IF;
  IF v_total <> 0 THEN
    INSERT INTO usage_daily AS d (org_id, metric, day, quantity) VALUES (p_org_id, p_metric, (p_now AT TIME ZONE 'UTC')::date, v_total)
    ON CONFLICT (org_id, metric, day) DO UPDATE SET quantity = d.quantity + EXCLUDED.quantity;
  END IF;
  -- Each event's own running total, as ledgerline_consume records them.
  IF ledgerline_band(v_before, p_limit) <> ledgerline_band(v_before + v_total, p_limit) THEN
    INSERT INTO usage_alerts (org_id, user_id, metric, period_start, threshold, state, used, limit_value, created_at)
    SELECT p_org_id, '', p_metric, p_period_start, x.threshold, x.state, e.u, p_limit, p_now
    FROM unnest(v_used, p_quantities) WITH ORDINALITY AS e(u, q, i), ledgerline_crossings(e.u - e.q, e.u, p_limit) x
    ORDER BY e.i, x.threshold;
  END IF;
  RETURN v_used;
END $function$
