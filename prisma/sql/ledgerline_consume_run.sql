-- ledgerline_consume_run: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261208000000_ledger_keeps_the_keys/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_consume_run(p_org_id text, p_config_version bigint, p_key_hash text, p_touch_key boolean, p_now timestamp with time zone, p_keys_since timestamp with time zone, p_metric text, p_period_start timestamp with time zone, p_ceiling bigint, p_limit bigint, p_resets_at timestamp with time zone, p_keys text[], p_digests text[], p_quantities bigint[], p_user_ids text[])
 RETURNS bigint[]
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
-- A run of distinct keys on one org counter, quantities not negative, no allocation to check:
-- admitted whole if it fits and none of its keys was recorded since p_keys_since (the idempotency
-- window), and the counter's use after each event is returned; NULL when it does not fit, a key
-- was used, the org's version is stale or the API key is refused (nothing written: the app then
-- asks ledgerline_consume, which decides event by event). Each event's ledger row is its key's
-- record: the request's digest and the answer a retry gets again.
DECLARE
  v_total bigint;
  v_before bigint;
  v_used bigint[];
BEGIN
  -- The org's key locks first, so that the update's look for the keys sees every key recorded
  -- before it, whichever counter its request named.
  PERFORM ledgerline_lock_keys(p_org_id, p_keys);
  IF cardinality(p_quantities) = 1 THEN
    v_total := p_quantities[1];
  ELSE
    v_total := (SELECT sum(q) FROM unnest(p_quantities) AS q);
  END IF;
  -- The conditional update decides for the whole run (re-checked on the latest row version when
  -- requests race); the org and key checks are ledgerline_refusal's, inline, as one statement.
  UPDATE usage_counters c SET used = c.used + v_total
  WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = p_metric AND c.period_start = p_period_start
    AND ledgerline_fits(c.used, c.held, v_total, p_ceiling)
    AND EXISTS (SELECT 1 FROM orgs o WHERE o.id = p_org_id AND o.config_version = p_config_version)
    AND (p_key_hash IS NULL OR EXISTS (SELECT 1 FROM api_keys k WHERE k.key_hash = p_key_hash AND k.org_id = p_org_id AND k.revoked_at IS NULL))
    -- One probe of the key index per key, whatever the statistics say (LIMIT 1 keeps each its own
    -- scan): as an array (= ANY) or a join, a partition analysed while it held none of the org's
    -- keys was planned as a read of every key of the org, on every call.
    AND NOT EXISTS (SELECT 1 FROM unnest(p_keys) AS e(key) CROSS JOIN LATERAL (
      SELECT 1 FROM usage_ledger l WHERE l.org_id = p_org_id AND l.idempotency_key = e.key
        AND l.request_digest IS NOT NULL AND l.created_at >= p_keys_since
      LIMIT 1) AS recorded)
  RETURNING c.used - v_total INTO v_before;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF p_touch_key THEN
    INSERT INTO api_key_uses AS u (org_id, key_hash, last_used_at) VALUES (p_org_id, p_key_hash, p_now)
    ON CONFLICT (org_id, key_hash) DO UPDATE SET last_used_at = EXCLUDED.last_used_at;
  END IF;

  -- A lone event, the common case, is written with VALUES: on Citus an INSERT ... SELECT passes
  -- through an intermediate result, which cost a lone consume about 30% of its rate there.
  IF cardinality(p_keys) = 1 THEN
    v_used := ARRAY[v_before + v_total];
    INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, idempotency_key, created_at, request_digest, answer_used, answer_limit, answer_resets_at)
    VALUES (p_org_id, p_user_ids[1], p_metric, p_period_start, v_total, p_keys[1], p_now, decode(p_digests[1], 'hex'), v_used[1], p_limit, p_resets_at);
  ELSE
    SELECT array_agg(v_before + upto ORDER BY i) INTO v_used
    FROM (SELECT i, sum(q) OVER (ORDER BY i) AS upto FROM unnest(p_quantities) WITH ORDINALITY AS e(q, i)) s;
    INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, idempotency_key, created_at, request_digest, answer_used, answer_limit, answer_resets_at)
    SELECT p_org_id, uid, p_metric, p_period_start, q, k, p_now, decode(d, 'hex'), u, p_limit, p_resets_at
    FROM unnest(p_user_ids, p_quantities, p_keys, p_digests, v_used) AS e(uid, q, k, d, u);
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
