-- Usage alerts and blocked counts.
--
-- When a counter crosses 80%, 90% or 100% of its limit (or of a member's
-- allocation), the statement that moved it records an alert in the same
-- transaction. Counters move one locked batch at a time, so each crossing is
-- seen exactly once even under concurrent traffic; a counter that falls back
-- below a threshold (cumulative metrics) records a "resolved" alert. Requests
-- that a cap denied are counted per counter (usage_counters.blocked), so admins
-- can see who hit walls.

CREATE TABLE "usage_alerts" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL DEFAULT '',
    "metric" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "threshold" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "used" BIGINT NOT NULL,
    "limit_value" BIGINT NOT NULL,
    "dispatched_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "usage_alerts_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "usage_alerts_org_id_created_at_idx" ON "usage_alerts"("org_id", "created_at");
CREATE INDEX "usage_alerts_undispatched_idx" ON "usage_alerts"("id") WHERE "dispatched_at" IS NULL;

-- The thresholds a move of a counter from `before` to `after` crosses, upwards
-- (raised) or downwards (resolved). Mirrors crossings() in lib/limits/thresholds.ts.
CREATE FUNCTION ledgerline_crossings(before bigint, after bigint, lim bigint)
RETURNS TABLE (threshold int, state text) LANGUAGE sql IMMUTABLE AS $$
  SELECT t, CASE WHEN after > before THEN 'raised' ELSE 'resolved' END
  FROM unnest(ARRAY[80, 90, 100]) AS t
  WHERE lim IS NOT NULL AND lim > 0
    AND ((before * 100 < t * lim AND after * 100 >= t * lim) OR (after * 100 < t * lim AND before * 100 >= t * lim))
$$;

-- Splits a counter key "metric|period|member" (the member id last, so it may hold any character).
CREATE FUNCTION ledgerline_counter_key(key text, OUT metric text, OUT period_start timestamptz, OUT user_id text)
LANGUAGE sql IMMUTABLE AS $$
  SELECT split_part(key, '|', 1), split_part(key, '|', 2)::timestamptz,
         substr(key, length(split_part(key, '|', 1)) + length(split_part(key, '|', 2)) + 3)
$$;

-- ledgerline_consume: checks and records a batch of usage events of one org,
-- each all or nothing, in order, in one round trip. Per event the caller sends
-- the counter's period, the ceiling the cap policy allows (null: none), the
-- member whose allocation also applies (with its ceiling, null: shares the
-- pool), the limit to report and the reset time. Outcomes: admitted, replay (a
-- committed earlier answer for this key), conflict (key reused for another
-- request), denied_org, denied_user; or a single row with idx 0: unauthorized,
-- not_found or stale.
--
-- Postgres pays for every statement and every tuple version, so the common
-- case (one event, an existing counter, a fresh key) costs five statements:
--   * the org's version and the API key are checked in one query, and the key's
--     last_used_at is only written when the app asks (about once a minute);
--   * counters are locked first; a key that races itself lands on the same
--     counter rows, so the lock orders the two and the second sees the first's
--     committed answer. Idempotency keys are then written once, with their final
--     answer (no placeholder row to update or delete). A key that another
--     request with a different body inserted meanwhile makes the batch fail with
--     SQLSTATE LL001, and the app retries it, now seeing the conflict;
--   * the ledger, the daily rollup and the keys go in one statement;
--   * blocked counts and alerts are written only when there are some.

CREATE FUNCTION ledgerline_consume(
  p_org_id text, p_config_version bigint, p_key_hash text, p_touch_key boolean, p_now timestamptz,
  p_metrics text[], p_period_starts timestamptz[], p_ceilings bigint[],
  p_user_ids text[], p_user_ceilings bigint[], p_track_users boolean[],
  p_quantities bigint[], p_keys text[], p_hashes text[], p_limits bigint[], p_resets_at text[]
) RETURNS TABLE (idx int, outcome text, used bigint, response jsonb)
LANGUAGE plpgsql AS $$
DECLARE
  n int := coalesce(array_length(p_keys, 1), 0);
  v_version bigint;
  v_key_ok boolean;
  v_prior jsonb := '{}';       -- key -> {hash, response} for keys committed earlier
  v_batch jsonb := '{}';       -- key -> index of its first event in this batch
  v_used jsonb := '{}';        -- counter -> used (org and member counters this batch touches)
  v_held jsonb := '{}';
  v_blocked jsonb := '{}';     -- counter -> requests denied by it in this batch
  v_outcomes text[] := array_fill(NULL::text, ARRAY[n]);
  v_results bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_applied bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_responses jsonb[] := array_fill(NULL::jsonb, ARRAY[n]);
  v_admitted int := 0;
  v_written int;
  a_users text[] := '{}';      -- alerts raised or resolved in this batch
  a_metrics text[] := '{}';
  a_periods timestamptz[] := '{}';
  a_thresholds int[] := '{}';
  a_states text[] := '{}';
  a_used bigint[] := '{}';
  a_limits bigint[] := '{}';
  i int;
  org_counter text;
  member_counter text;
  q bigint;
  org_used bigint;
  member_used bigint;
  rec record;
  crossing record;
BEGIN
  SELECT o.config_version,
         p_key_hash IS NULL OR EXISTS (
           SELECT 1 FROM api_keys k WHERE k.key_hash = p_key_hash AND k.org_id = p_org_id AND k.revoked_at IS NULL)
  INTO v_version, v_key_ok
  FROM orgs o WHERE o.id = p_org_id;
  IF v_version IS NULL THEN
    RETURN QUERY SELECT 0, 'not_found'::text, NULL::bigint, NULL::jsonb;
    RETURN;
  ELSIF NOT v_key_ok THEN
    RETURN QUERY SELECT 0, 'unauthorized'::text, NULL::bigint, NULL::jsonb;
    RETURN;
  ELSIF v_version <> p_config_version THEN
    RETURN QUERY SELECT 0, 'stale'::text, NULL::bigint, NULL::jsonb;
    RETURN;
  END IF;
  IF p_touch_key THEN
    UPDATE api_keys k SET last_used_at = p_now WHERE k.key_hash = p_key_hash;
  END IF;

  -- Lock every counter this batch may change, in one canonical order, so that
  -- concurrent batches queue instead of deadlocking. Counters that do not exist
  -- yet are created first (rare: once per org, metric and period).
  FOR attempt IN 1..2 LOOP
    v_used := '{}';
    v_held := '{}';
    FOR rec IN
      SELECT c.user_id, c.metric, c.period_start, c.used, c.held FROM usage_counters c
      JOIN (
        SELECT '' AS user_id, m AS metric, ps AS period_start FROM unnest(p_metrics, p_period_starts) AS x(m, ps)
        UNION
        SELECT uid, m, ps FROM unnest(p_metrics, p_period_starts, p_user_ids, p_track_users) AS x(m, ps, uid, t) WHERE t
      ) w ON c.user_id = w.user_id AND c.metric = w.metric AND c.period_start = w.period_start
      WHERE c.org_id = p_org_id
      ORDER BY c.user_id, c.metric, c.period_start
      FOR UPDATE OF c
    LOOP
      v_used := v_used || jsonb_build_object(rec.metric || '|' || rec.period_start::text || '|' || rec.user_id, rec.used);
      v_held := v_held || jsonb_build_object(rec.metric || '|' || rec.period_start::text || '|' || rec.user_id, rec.held);
    END LOOP;
    EXIT WHEN NOT EXISTS (
      SELECT 1 FROM unnest(p_metrics, p_period_starts, p_user_ids, p_track_users) AS x(m, ps, uid, t)
      WHERE NOT v_used ? (m || '|' || ps::text || '|')
         OR (t AND NOT v_used ? (m || '|' || ps::text || '|' || uid)));
    INSERT INTO usage_counters (org_id, user_id, metric, period_start)
    SELECT DISTINCT p_org_id, u.user_id, u.metric, u.period_start FROM (
      SELECT '' AS user_id, m AS metric, ps AS period_start FROM unnest(p_metrics, p_period_starts) AS x(m, ps)
      UNION
      SELECT uid, m, ps FROM unnest(p_metrics, p_period_starts, p_user_ids, p_track_users) AS x(m, ps, uid, t) WHERE t
    ) u
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (org_id, user_id, metric, period_start) DO NOTHING;
  END LOOP;

  SELECT coalesce(jsonb_object_agg(ik.key, jsonb_build_object('hash', ik.request_hash, 'response', ik.response)), '{}')
  INTO v_prior
  FROM idempotency_keys ik
  WHERE ik.org_id = p_org_id AND ik.key = ANY(p_keys);

  FOR i IN 1..n LOOP
    IF v_batch ? p_keys[i] THEN
      -- The same key twice in one batch: the second gets the first one's answer.
      IF p_hashes[(v_batch ->> p_keys[i])::int] <> p_hashes[i] THEN
        v_outcomes[i] := 'conflict';
      ELSE
        v_outcomes[i] := replace(v_outcomes[(v_batch ->> p_keys[i])::int], 'admitted', 'replay');
        v_results[i] := v_results[(v_batch ->> p_keys[i])::int];
        v_responses[i] := v_responses[(v_batch ->> p_keys[i])::int];
      END IF;
      CONTINUE;
    END IF;
    v_batch := v_batch || jsonb_build_object(p_keys[i], i);

    IF v_prior ? p_keys[i] THEN
      IF v_prior -> p_keys[i] ->> 'hash' = p_hashes[i] THEN
        v_outcomes[i] := 'replay';
        v_responses[i] := v_prior -> p_keys[i] -> 'response';
      ELSE
        v_outcomes[i] := 'conflict';
      END IF;
      CONTINUE;
    END IF;

    org_counter := p_metrics[i] || '|' || p_period_starts[i]::text || '|';
    member_counter := org_counter || p_user_ids[i];
    org_used := (v_used ->> org_counter)::bigint;
    q := p_quantities[i];

    IF q < 0 THEN
      -- A release frees what is there and never takes a counter below zero.
      q := greatest(q, -org_used);
      org_used := org_used + q;
    ELSIF p_ceilings[i] IS NOT NULL AND org_used + (v_held ->> org_counter)::bigint + q > p_ceilings[i] THEN
      v_outcomes[i] := 'denied_org';
      v_results[i] := org_used;
      v_blocked := v_blocked || jsonb_build_object(org_counter, coalesce((v_blocked ->> org_counter)::bigint, 0) + 1);
      CONTINUE;
    ELSIF p_track_users[i] THEN
      member_used := (v_used ->> member_counter)::bigint;
      IF p_user_ceilings[i] IS NOT NULL AND member_used + (v_held ->> member_counter)::bigint + q > p_user_ceilings[i] THEN
        v_outcomes[i] := 'denied_user';
        v_results[i] := member_used;
        v_blocked := v_blocked || jsonb_build_object(member_counter, coalesce((v_blocked ->> member_counter)::bigint, 0) + 1);
        CONTINUE;
      END IF;
      v_used := v_used || jsonb_build_object(member_counter, member_used + q);
      FOR crossing IN SELECT * FROM ledgerline_crossings(member_used, member_used + q, p_user_ceilings[i]) LOOP
        a_users := a_users || p_user_ids[i]; a_metrics := a_metrics || p_metrics[i]; a_periods := a_periods || p_period_starts[i];
        a_thresholds := a_thresholds || crossing.threshold; a_states := a_states || crossing.state;
        a_used := a_used || (member_used + q); a_limits := a_limits || p_user_ceilings[i];
      END LOOP;
      org_used := org_used + q;
    ELSE
      org_used := org_used + q;
    END IF;

    v_used := v_used || jsonb_build_object(org_counter, org_used);
    FOR crossing IN SELECT * FROM ledgerline_crossings(org_used - q, org_used, p_limits[i]) LOOP
      a_users := a_users || ''::text; a_metrics := a_metrics || p_metrics[i]; a_periods := a_periods || p_period_starts[i];
      a_thresholds := a_thresholds || crossing.threshold; a_states := a_states || crossing.state;
      a_used := a_used || org_used; a_limits := a_limits || p_limits[i];
    END LOOP;
    v_outcomes[i] := 'admitted';
    v_admitted := v_admitted + 1;
    v_results[i] := org_used;
    v_applied[i] := q;
    v_responses[i] := jsonb_build_object('metric', p_metrics[i], 'used', org_used, 'limit', p_limits[i], 'resetsAt', p_resets_at[i]);
  END LOOP;

  IF v_admitted > 0 THEN
    UPDATE usage_counters c SET used = x.value::bigint
    FROM jsonb_each_text(v_used) x, ledgerline_counter_key(x.key) k
    WHERE c.org_id = p_org_id AND c.user_id = k.user_id AND c.metric = k.metric AND c.period_start = k.period_start
      AND c.used <> x.value::bigint;

    WITH admitted AS (
      SELECT m, ps, NULLIF(uid, '') AS uid, a, k, h, r
      FROM unnest(p_metrics, p_period_starts, p_user_ids, v_applied, p_keys, p_hashes, v_responses, v_outcomes) AS x(m, ps, uid, a, k, h, r, o)
      WHERE o = 'admitted'
    ), keys AS (
      INSERT INTO idempotency_keys (org_id, key, request_hash, status, response, created_at)
      SELECT p_org_id, k, h, 200, r, p_now FROM admitted ORDER BY k
      ON CONFLICT (org_id, key) DO NOTHING
      RETURNING 1
    ), ledger AS (
      INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, idempotency_key, created_at)
      SELECT p_org_id, uid, m, ps, a, k, p_now FROM admitted WHERE a <> 0
    ), daily AS (
      INSERT INTO usage_daily AS d (org_id, metric, day, quantity)
      SELECT p_org_id, m, (p_now AT TIME ZONE 'UTC')::date, sum(a) FROM admitted WHERE a <> 0 GROUP BY m
      ON CONFLICT (org_id, metric, day) DO UPDATE SET quantity = d.quantity + EXCLUDED.quantity
    )
    SELECT count(*) INTO v_written FROM keys;

    IF v_written < v_admitted THEN
      -- Another request took one of these keys meanwhile: undo everything, the app retries.
      RAISE EXCEPTION 'idempotency key taken concurrently' USING ERRCODE = 'LL001';
    END IF;
  END IF;

  IF v_blocked <> '{}' THEN
    UPDATE usage_counters c SET blocked = c.blocked + x.value::bigint
    FROM jsonb_each_text(v_blocked) x, ledgerline_counter_key(x.key) k
    WHERE c.org_id = p_org_id AND c.user_id = k.user_id AND c.metric = k.metric AND c.period_start = k.period_start;
  END IF;

  IF cardinality(a_metrics) > 0 THEN
    INSERT INTO usage_alerts (org_id, user_id, metric, period_start, threshold, state, used, limit_value, created_at)
    SELECT p_org_id, u, m, ps, t, s, used_then, l, p_now
    FROM unnest(a_users, a_metrics, a_periods, a_thresholds, a_states, a_used, a_limits) AS x(u, m, ps, t, s, used_then, l);
  END IF;

  RETURN QUERY SELECT x.i::int, x.o, x.u, x.r FROM unnest(v_outcomes, v_results, v_responses) WITH ORDINALITY AS x(o, u, r, i);
END $$;
