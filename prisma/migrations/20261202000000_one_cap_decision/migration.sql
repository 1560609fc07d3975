-- One cap decision for every path.
--
-- ledgerline_fits is the only statement of "does this quantity fit": the
-- one-statement consume run (lib/metering/consume-run.ts), ledgerline_consume,
-- ledgerline_ai_authorize (the member's allocation and the prepaid credits) and
-- check (lib/metering/check.ts, a dry run of the same call) all ask it. The app
-- turns a limit into a ceiling (lib/limits/decide.ts: hard, soft +10%, none),
-- and every function receives ceilings, the AI ones included, so a metric's cap
-- kind in lib/limits/metrics.ts is what the store enforces.
--
-- The alert thresholds (80/90/100) reach SQL through ledgerline_usage_thresholds(),
-- which the migration runner rewrites from lib/limits/thresholds.ts after every
-- run (lib/db/generated-functions.ts); the body below is only its first value.
--
-- The AI functions now also filter every statement on ai_authorizations by
-- org_id, so each one touches the org's rows only.

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

-- ledgerline_consume: unchanged but for its two cap comparisons.
CREATE OR REPLACE FUNCTION public.ledgerline_consume(p_org_id text, p_config_version bigint, p_key_hash text, p_touch_key boolean, p_now timestamp with time zone, p_metrics text[], p_period_starts timestamp with time zone[], p_ceilings bigint[], p_user_ids text[], p_user_ceilings bigint[], p_track_users boolean[], p_quantities bigint[], p_keys text[], p_hashes text[], p_limits bigint[], p_resets_at text[])
 RETURNS TABLE(idx integer, outcome text, used bigint, response jsonb)
 LANGUAGE plpgsql
AS $function$
DECLARE
  n int := coalesce(array_length(p_keys, 1), 0);
  v_refusal text := ledgerline_refusal(p_org_id, p_config_version, p_key_hash);
  v_prior jsonb := '{}';       -- key -> {hash, response} for keys committed earlier
  v_first int[];               -- per event: the index of the first event in this batch with its key
  v_found int;
  v_used jsonb := '{}';        -- counter -> used (org and member counters this batch touches)
  v_held jsonb := '{}';
  v_blocked jsonb := '{}';     -- counter -> requests denied by it in this batch
  v_outcomes text[] := array_fill(NULL::text, ARRAY[n]);
  v_results bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_applied bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_responses jsonb[] := array_fill(NULL::jsonb, ARRAY[n]);  -- replays of answers committed earlier
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
  j int;
  org_counter text;            -- the org counter of the events being decided, kept in locals
  cur_metric text;             -- while consecutive events share it (a batch usually does)
  cur_period timestamptz;
  org_held bigint;
  member_counter text;
  q bigint;
  org_used bigint;
  member_used bigint;
  rec record;
  crossing record;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT 0, v_refusal, NULL::bigint, NULL::jsonb;
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
    v_found := 0;
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
      v_found := v_found + 1;
    END LOOP;
    -- One event (the common case) needs its org counter and maybe its member's: no query to count them.
    EXIT WHEN n = 1 AND v_found = CASE WHEN p_track_users[1] AND p_user_ids[1] <> '' THEN 2 ELSE 1 END;
    EXIT WHEN n > 1 AND NOT EXISTS (
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
  FROM (SELECT DISTINCT k FROM unnest(p_keys) AS k) wanted
  CROSS JOIN LATERAL (
    SELECT ik.key, ik.request_hash, ik.response FROM idempotency_keys ik
    WHERE ik.org_id = p_org_id AND ik.key = wanted.k
    LIMIT 1  -- keeps this a primary-key probe per key whatever the table's statistics say
  ) ik;

  IF n > 1 THEN
    SELECT array_agg(f ORDER BY x) INTO v_first
    FROM (SELECT x, min(x) OVER (PARTITION BY k) AS f FROM unnest(p_keys) WITH ORDINALITY AS u(k, x)) s;
  ELSE
    v_first := ARRAY[1];
  END IF;

  FOR i IN 1..n LOOP
    j := v_first[i];
    IF j <> i THEN
      -- The same key twice in one batch: the second gets the first one's answer.
      IF p_hashes[j] <> p_hashes[i] THEN
        v_outcomes[i] := 'conflict';
      ELSE
        v_outcomes[i] := replace(v_outcomes[j], 'admitted', 'replay');
        v_results[i] := v_results[j];
        v_responses[i] := v_responses[j];
      END IF;
      CONTINUE;
    END IF;

    IF v_prior ? p_keys[i] THEN
      IF v_prior -> p_keys[i] ->> 'hash' = p_hashes[i] THEN
        v_outcomes[i] := 'replay';
        v_responses[i] := v_prior -> p_keys[i] -> 'response';
      ELSE
        v_outcomes[i] := 'conflict';
      END IF;
      CONTINUE;
    END IF;

    IF p_metrics[i] IS DISTINCT FROM cur_metric OR p_period_starts[i] IS DISTINCT FROM cur_period THEN
      IF org_counter IS NOT NULL THEN
        v_used := v_used || jsonb_build_object(org_counter, org_used);
      END IF;
      cur_metric := p_metrics[i];
      cur_period := p_period_starts[i];
      org_counter := cur_metric || '|' || cur_period::text || '|';
      org_used := (v_used ->> org_counter)::bigint;
      org_held := (v_held ->> org_counter)::bigint;
    END IF;
    q := p_quantities[i];

    IF q < 0 THEN
      -- A release frees what is there and never takes a counter below zero.
      q := greatest(q, -org_used);
      org_used := org_used + q;
    ELSIF NOT ledgerline_fits(org_used, org_held, q, p_ceilings[i]) THEN
      v_outcomes[i] := 'denied_org';
      v_results[i] := org_used;
      v_blocked := v_blocked || jsonb_build_object(org_counter, coalesce((v_blocked ->> org_counter)::bigint, 0) + 1);
      CONTINUE;
    ELSIF p_track_users[i] THEN
      member_counter := org_counter || p_user_ids[i];
      member_used := (v_used ->> member_counter)::bigint;
      -- An allocation is a hard cap: its ceiling is the allocation itself, and its alerts are taken against it.
      IF NOT ledgerline_fits(member_used, (v_held ->> member_counter)::bigint, q, p_user_ceilings[i]) THEN
        v_outcomes[i] := 'denied_user';
        v_results[i] := member_used;
        v_blocked := v_blocked || jsonb_build_object(member_counter, coalesce((v_blocked ->> member_counter)::bigint, 0) + 1);
        CONTINUE;
      END IF;
      v_used := v_used || jsonb_build_object(member_counter, member_used + q);
      IF ledgerline_band(member_used, p_user_ceilings[i]) <> ledgerline_band(member_used + q, p_user_ceilings[i]) THEN
        FOR crossing IN SELECT * FROM ledgerline_crossings(member_used, member_used + q, p_user_ceilings[i]) LOOP
          a_users := a_users || p_user_ids[i]; a_metrics := a_metrics || p_metrics[i]; a_periods := a_periods || p_period_starts[i];
          a_thresholds := a_thresholds || crossing.threshold; a_states := a_states || crossing.state;
          a_used := a_used || (member_used + q); a_limits := a_limits || p_user_ceilings[i];
        END LOOP;
      END IF;
      org_used := org_used + q;
    ELSE
      org_used := org_used + q;
    END IF;

    IF ledgerline_band(org_used - q, p_limits[i]) <> ledgerline_band(org_used, p_limits[i]) THEN
      FOR crossing IN SELECT * FROM ledgerline_crossings(org_used - q, org_used, p_limits[i]) LOOP
        a_users := a_users || ''::text; a_metrics := a_metrics || p_metrics[i]; a_periods := a_periods || p_period_starts[i];
        a_thresholds := a_thresholds || crossing.threshold; a_states := a_states || crossing.state;
        a_used := a_used || org_used; a_limits := a_limits || p_limits[i];
      END LOOP;
    END IF;
    v_outcomes[i] := 'admitted';
    v_admitted := v_admitted + 1;
    v_results[i] := org_used;
    v_applied[i] := q;
  END LOOP;
  IF org_counter IS NOT NULL THEN
    v_used := v_used || jsonb_build_object(org_counter, org_used);
  END IF;

  IF v_admitted > 0 THEN
    UPDATE usage_counters c SET used = x.value::bigint
    FROM jsonb_each_text(v_used) x, ledgerline_counter_key(x.key) k
    WHERE c.org_id = p_org_id AND c.user_id = k.user_id AND c.metric = k.metric AND c.period_start = k.period_start
      AND c.used <> x.value::bigint;

    WITH admitted AS (
      SELECT m, ps, NULLIF(uid, '') AS uid, a, k, h, jsonb_build_object('metric', m, 'used', u, 'limit', l, 'resetsAt', rs) AS r
      FROM unnest(p_metrics, p_period_starts, p_user_ids, v_applied, p_keys, p_hashes, v_results, p_limits, p_resets_at, v_outcomes)
        AS x(m, ps, uid, a, k, h, u, l, rs, o)
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

  -- Only a replay's stored answer is sent back: the app builds an admitted event's answer from `used`.
  RETURN QUERY SELECT x.i::int, x.o, x.u,
    CASE WHEN x.o = 'replay' THEN coalesce(x.r, jsonb_build_object('metric', x.m, 'used', x.u, 'limit', x.l, 'resetsAt', x.rs)) END
  FROM unnest(v_outcomes, v_results, v_responses, p_metrics, p_limits, p_resets_at) WITH ORDINALITY AS x(o, u, r, m, l, rs, i);
END $function$;

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
