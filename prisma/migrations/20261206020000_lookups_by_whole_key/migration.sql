-- The enforcement functions' lookups by an index's whole key, whatever the statistics say
-- (after 20261206010000_enforcement_plans_by_index turned sequential scans off in them, some
-- statements were still planned, on a table analysed empty, as reads of every row of the org by
-- the leading org_id column, with the rest as a filter or a hash join):
-- ledgerline_ai_authorize's expiry sweep updates each expired hold by its primary key, where an
-- UPDATE ... WHERE id = ANY(ARRAY(...)) read every hold of the org on every authorize (AI pairs of
-- a hot org slowed as its holds accumulated); ledgerline_consume locks each counter it needs, and
-- writes its use and refusals back, by its primary key (in the same canonical order), where joins
-- with the wanted counters read every counter of the org, three times a call.
-- tests/integration/enforcement-plans.test.ts counts the rows each reads.

CREATE OR REPLACE FUNCTION public.ledgerline_ai_authorize(p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamp with time zone, p_period_start timestamp with time zone, p_pool_ceiling bigint, p_expires_at timestamp with time zone, p_authorization_ids text[], p_user_ids text[], p_allocation_ceilings bigint[], p_holds bigint[], p_features text[], p_models text[], p_tiers text[])
 RETURNS TABLE(idx integer, outcome text, used bigint)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
-- One row per request (idx from 1): authorized, denied_pool or denied_user, with the pool's or
-- the member's use. A refusal of the whole batch (not_found, unauthorized, stale, paused) is one
-- row with idx 0.
DECLARE
  v_refusal text := ledgerline_refusal(p_org_id, p_config_version, p_key_hash);
  v_pool record;
  v_pool_held bigint;
  v_pool_blocked integer := 0;
  v_credits_locked boolean := false;
  v_balance bigint;
  v_credits_held bigint;
  v_credits_held_before bigint;
  v_next_expiry timestamptz;
  v_users text[] := '{}';
  v_used bigint[] := '{}';
  v_held bigint[] := '{}';
  v_held_before bigint[] := '{}';
  v_blocked integer[] := '{}';
  v_member record;
  v_m integer;
  v_pool_hold bigint;
  v_pool_holds bigint[] := array_fill(NULL::bigint, ARRAY[cardinality(p_holds)]);
  v_from_credits bigint;
  v_user text;
  v_user_held bigint;
  v_user_blocked integer;
  h record;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT 0, v_refusal, NULL::bigint;
    RETURN;
  END IF;
  -- Read here, not from the app's cache: a failed payment pauses AI at once.
  IF (SELECT o.ai_paused FROM orgs o WHERE o.id = p_org_id) THEN
    RETURN QUERY SELECT 0, 'paused'::text, NULL::bigint;
    RETURN;
  END IF;

  -- Expired holds give their reservations back, oldest first, at most 1,000 a call. The probe
  -- reads ai_authorizations_held_idx in its own order, so no plan can prefer another index, and
  -- each expired hold is then updated by its whole primary key. (An UPDATE ... WHERE id =
  -- ANY(ARRAY(probe)) was planned, from statistics that said the table was empty, as a scan of
  -- every hold of the org filtered by the array: every authorize read them all.)
  FOR h IN
    SELECT x.id, x.user_id, x.period_start, x.hold_micros, x.pool_hold_micros FROM ai_authorizations x
    WHERE x.org_id = p_org_id AND x.status = 'held' AND x.expires_at <= p_now
    ORDER BY x.expires_at LIMIT 1000
    FOR UPDATE SKIP LOCKED
  LOOP
    UPDATE ai_authorizations a SET status = 'expired' WHERE a.org_id = p_org_id AND a.id = h.id;
    PERFORM ledgerline_ai_unhold(p_org_id, h.user_id, h.period_start, h.hold_micros, h.pool_hold_micros);
  END LOOP;

  -- Each request is decided before anything is written: the pool takes what fits under its
  -- ceiling, free prepaid credits must cover the rest, and the member's allocation must fit it all.
  v_pool := ledgerline_lock_counter(p_org_id, '', 'ai_budget', p_period_start);
  v_pool_held := v_pool.held;
  FOR i IN 1 .. cardinality(p_holds) LOOP
    v_pool_hold := ledgerline_pool_part(p_holds[i], v_pool.used, v_pool_held, p_pool_ceiling);
    v_from_credits := p_holds[i] - v_pool_hold;
    IF v_from_credits > 0 AND NOT v_credits_locked THEN
      SELECT a.balance_micros, a.held_micros, a.next_expiry_at INTO v_balance, v_credits_held, v_next_expiry
      FROM credit_accounts a WHERE a.org_id = p_org_id FOR UPDATE;
      -- Grants past their expiry leave the balance before anything is decided on it.
      IF v_next_expiry <= p_now THEN
        v_balance := v_balance - ledgerline_expire_credits(p_org_id, p_now);
      END IF;
      v_balance := coalesce(v_balance, 0);
      v_credits_held := coalesce(v_credits_held, 0);
      v_credits_held_before := v_credits_held;
      v_credits_locked := true;
    END IF;
    IF v_from_credits > 0 AND NOT ledgerline_fits(0, v_credits_held, v_from_credits, v_balance) THEN
      v_pool_blocked := v_pool_blocked + 1;
      RETURN QUERY SELECT i, 'denied_pool'::text, v_pool.used;
      CONTINUE;
    END IF;
    v_m := array_position(v_users, p_user_ids[i]);
    IF v_m IS NULL THEN
      v_member := ledgerline_lock_counter(p_org_id, p_user_ids[i], 'ai_budget', p_period_start);
      v_users := v_users || p_user_ids[i];
      v_used := v_used || v_member.used;
      v_held := v_held || v_member.held;
      v_held_before := v_held_before || v_member.held;
      v_blocked := v_blocked || 0;
      v_m := cardinality(v_users);
    END IF;
    IF NOT ledgerline_fits(v_used[v_m], v_held[v_m], p_holds[i], p_allocation_ceilings[i]) THEN
      v_blocked[v_m] := v_blocked[v_m] + 1;
      RETURN QUERY SELECT i, 'denied_user'::text, v_used[v_m];
      CONTINUE;
    END IF;
    v_pool_held := v_pool_held + v_pool_hold;
    IF v_from_credits > 0 THEN
      v_credits_held := v_credits_held + v_from_credits;
    END IF;
    v_held[v_m] := v_held[v_m] + p_holds[i];
    v_pool_holds[i] := v_pool_hold;
    RETURN QUERY SELECT i, 'authorized'::text, v_pool.used;
  END LOOP;

  IF v_pool_held <> v_pool.held OR v_pool_blocked > 0 THEN
    UPDATE usage_counters c SET held = v_pool_held, blocked = c.blocked + v_pool_blocked
    WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
  END IF;
  IF v_credits_held IS DISTINCT FROM v_credits_held_before THEN
    UPDATE credit_accounts a SET held_micros = v_credits_held WHERE a.org_id = p_org_id;
  END IF;
  FOR m IN 1 .. cardinality(v_users) LOOP
    IF v_held[m] <> v_held_before[m] OR v_blocked[m] > 0 THEN
      v_user := v_users[m];
      v_user_held := v_held[m];
      v_user_blocked := v_blocked[m];
      UPDATE usage_counters c SET held = v_user_held, blocked = c.blocked + v_user_blocked
      WHERE c.org_id = p_org_id AND c.user_id = v_user AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
    END IF;
  END LOOP;
  IF cardinality(p_holds) = 1 THEN
    -- VALUES for a lone request: on Citus an INSERT ... SELECT passes through an intermediate result.
    IF v_pool_holds[1] IS NOT NULL THEN
      INSERT INTO ai_authorizations (id, org_id, user_id, feature, model, tier, period_start, hold_micros, pool_hold_micros, expires_at, created_at)
      VALUES (p_authorization_ids[1], p_org_id, p_user_ids[1], p_features[1], p_models[1], p_tiers[1], p_period_start, p_holds[1], v_pool_holds[1], p_expires_at, p_now);
    END IF;
  ELSE
    INSERT INTO ai_authorizations (id, org_id, user_id, feature, model, tier, period_start, hold_micros, pool_hold_micros, expires_at, created_at)
    SELECT e.id, p_org_id, e.uid, e.feature, e.model, e.tier, p_period_start, e.hold, e.pool_hold, p_expires_at, p_now
    FROM unnest(p_authorization_ids, p_user_ids, p_features, p_models, p_tiers, p_holds, v_pool_holds) AS e(id, uid, feature, model, tier, hold, pool_hold)
    WHERE e.pool_hold IS NOT NULL;
  END IF;
END $function$;

CREATE OR REPLACE FUNCTION public.ledgerline_consume(p_org_id text, p_config_version bigint, p_key_hash text, p_touch_key boolean, p_now timestamp with time zone, p_metrics text[], p_period_starts timestamp with time zone[], p_ceilings bigint[], p_user_ids text[], p_user_ceilings bigint[], p_track_users boolean[], p_quantities bigint[], p_keys text[], p_hashes text[], p_limits bigint[], p_resets_at text[])
 RETURNS TABLE(idx integer, outcome text, used bigint, response jsonb)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
DECLARE
  n int := coalesce(array_length(p_keys, 1), 0);
  v_refusal text := ledgerline_refusal(p_org_id, p_config_version, p_key_hash);
  v_prior jsonb := '{}';       -- key -> {hash, used, limit, resetsAt} (or its stored response) for keys committed earlier
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
  v_counter_used bigint;
  v_counter_held bigint;
  crossing record;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT 0, v_refusal, NULL::bigint, NULL::jsonb;
    RETURN;
  END IF;
  IF p_touch_key THEN
    INSERT INTO api_key_uses AS u (org_id, key_hash, last_used_at) VALUES (p_org_id, p_key_hash, p_now)
    ON CONFLICT (org_id, key_hash) DO UPDATE SET last_used_at = EXCLUDED.last_used_at;
  END IF;

  -- Lock every counter this batch may change, in one canonical order, so that
  -- concurrent batches queue instead of deadlocking. Counters that do not exist
  -- yet are created first (rare: once per org, metric and period).
  FOR attempt IN 1..2 LOOP
    v_used := '{}';
    v_held := '{}';
    v_found := 0;
    -- Each counter by its whole primary key, in that order. (A join of the wanted counters with
    -- usage_counters was planned, from statistics that said the table was empty, as a read of
    -- every counter of the org: an org of 10,000 members has tens of thousands.)
    FOR rec IN
      SELECT DISTINCT w.user_id, w.metric, w.period_start FROM (
        SELECT '' AS user_id, m AS metric, ps AS period_start FROM unnest(p_metrics, p_period_starts) AS x(m, ps)
        UNION
        SELECT uid, m, ps FROM unnest(p_metrics, p_period_starts, p_user_ids, p_track_users) AS x(m, ps, uid, t) WHERE t
      ) w
      ORDER BY w.user_id, w.metric, w.period_start
    LOOP
      SELECT c.used, c.held INTO v_counter_used, v_counter_held FROM usage_counters c
      WHERE c.org_id = p_org_id AND c.user_id = rec.user_id AND c.metric = rec.metric AND c.period_start = rec.period_start
      FOR UPDATE;
      CONTINUE WHEN NOT FOUND;
      v_used := v_used || jsonb_build_object(rec.metric || '|' || rec.period_start::text || '|' || rec.user_id, v_counter_used);
      v_held := v_held || jsonb_build_object(rec.metric || '|' || rec.period_start::text || '|' || rec.user_id, v_counter_held);
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

  -- A key written before 20261205010000_compact_idempotency_keys has its hash as hex text and its
  -- answer as JSON; a later one has the hash's bytes and the answer's three figures.
  SELECT coalesce(jsonb_object_agg(ik.key, jsonb_build_object(
    'hash', coalesce(encode(ik.request_digest, 'hex'), ik.request_hash), 'response', ik.response,
    'used', ik.used, 'limit', ik.limit_value, 'resetsAt', ik.resets_at)), '{}')
  INTO v_prior
  FROM (SELECT DISTINCT k FROM unnest(p_keys) AS k) wanted
  CROSS JOIN LATERAL (
    SELECT ik.key, ik.request_digest, ik.request_hash, ik.response, ik.used, ik.limit_value, ik.resets_at FROM idempotency_keys ik
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
        -- The first answer, as it was sent: its metric is this request's (the hashes match).
        v_responses[i] := CASE WHEN jsonb_typeof(v_prior -> p_keys[i] -> 'response') = 'object' THEN v_prior -> p_keys[i] -> 'response'
          ELSE jsonb_build_object('metric', p_metrics[i], 'used', v_prior -> p_keys[i] -> 'used',
                                  'limit', v_prior -> p_keys[i] -> 'limit', 'resetsAt', v_prior -> p_keys[i] -> 'resetsAt') END;
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
    -- Each counter by its whole primary key (all are locked already), as they were locked above.
    FOR rec IN SELECT k.user_id, k.metric, k.period_start, x.value::bigint AS value FROM jsonb_each_text(v_used) x, ledgerline_counter_key(x.key) k LOOP
      UPDATE usage_counters c SET used = rec.value
      WHERE c.org_id = p_org_id AND c.user_id = rec.user_id AND c.metric = rec.metric AND c.period_start = rec.period_start AND c.used <> rec.value;
    END LOOP;

    INSERT INTO idempotency_keys (org_id, key, request_digest, status, used, limit_value, resets_at, created_at)
    SELECT p_org_id, k, decode(h, 'hex'), 200, u, l, rs, p_now
    FROM unnest(p_keys, p_hashes, v_results, p_limits, p_resets_at, v_outcomes) AS x(k, h, u, l, rs, o)
    WHERE o = 'admitted' ORDER BY k;
    INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, idempotency_key, created_at)
    SELECT p_org_id, NULLIF(uid, ''), m, ps, a, k, p_now
    FROM unnest(p_metrics, p_period_starts, p_user_ids, v_applied, p_keys, v_outcomes) AS x(m, ps, uid, a, k, o)
    WHERE o = 'admitted' AND a <> 0;
    INSERT INTO usage_daily AS d (org_id, metric, day, quantity)
    SELECT p_org_id, m, (p_now AT TIME ZONE 'UTC')::date, sum(a)
    FROM unnest(p_metrics, v_applied, v_outcomes) AS x(m, a, o) WHERE o = 'admitted' AND a <> 0 GROUP BY m
    ON CONFLICT (org_id, metric, day) DO UPDATE SET quantity = d.quantity + EXCLUDED.quantity;

  END IF;

  IF v_blocked <> '{}' THEN
    FOR rec IN SELECT k.user_id, k.metric, k.period_start, x.value::bigint AS value FROM jsonb_each_text(v_blocked) x, ledgerline_counter_key(x.key) k LOOP
      UPDATE usage_counters c SET blocked = c.blocked + rec.value
      WHERE c.org_id = p_org_id AND c.user_id = rec.user_id AND c.metric = rec.metric AND c.period_start = rec.period_start;
    END LOOP;
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
