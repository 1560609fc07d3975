-- ledgerline_consume: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261208030000_replay_the_newest_key/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_consume(p_org_id text, p_config_version bigint, p_key_hash text, p_touch_key boolean, p_now timestamp with time zone, p_keys_since timestamp with time zone, p_metrics text[], p_period_starts timestamp with time zone[], p_ceilings bigint[], p_user_ids text[], p_user_ceilings bigint[], p_track_users boolean[], p_quantities bigint[], p_keys text[], p_digests text[], p_limits bigint[], p_resets_at timestamp with time zone[])
 RETURNS TABLE(idx integer, outcome text, used bigint, answer_limit bigint, answer_resets_at timestamp with time zone)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
-- One row per event (idx from 1): admitted (used: the counter's use after it), replay (the first
-- answer: used, answer_limit, answer_resets_at), conflict (its key was used for another request),
-- denied_org or denied_user (used: the counter that refused it). A refusal of the whole batch
-- (not_found, unauthorized, stale) is one row with idx 0. A key recorded since p_keys_since (the
-- idempotency window) is replayed; an older one is a new request.
DECLARE
  n int := coalesce(array_length(p_keys, 1), 0);
  v_refusal text := ledgerline_refusal(p_org_id, p_config_version, p_key_hash);
  v_prior jsonb := '{}';       -- key -> {digest, used, limit, resetsAt} for keys recorded within the window
  v_first int[];               -- per event: the index of the first event in this batch with its key
  v_found int;
  v_used jsonb := '{}';        -- counter -> used (org and member counters this batch touches)
  v_held jsonb := '{}';
  v_blocked jsonb := '{}';     -- counter -> requests denied by it in this batch
  v_outcomes text[] := array_fill(NULL::text, ARRAY[n]);
  v_results bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_applied bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_limits bigint[] := p_limits;                 -- the answer's limit and reset: a replay's are its first answer's
  v_resets_at timestamptz[] := p_resets_at;
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
    RETURN QUERY SELECT 0, v_refusal, NULL::bigint, NULL::bigint, NULL::timestamptz;
    RETURN;
  END IF;
  -- The org's key locks before any counter's (ledgerline_consume_run takes them in the same order).
  PERFORM ledgerline_lock_keys(p_org_id, p_keys);
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

  -- Keys recorded within the window: each the ledger row its admission wrote, found by the
  -- partition's key index. The key locks make it one per window; a call whose clock runs behind
  -- another instance's can see a key's record from before its window ended and the new request's
  -- after it, and answers with the newest.
  SELECT coalesce(jsonb_object_agg(l.idempotency_key, jsonb_build_object(
    'digest', encode(l.request_digest, 'hex'), 'used', l.answer_used, 'limit', l.answer_limit, 'resetsAt', l.answer_resets_at)), '{}')
  INTO v_prior
  FROM (SELECT DISTINCT k FROM unnest(p_keys) AS k) wanted
  CROSS JOIN LATERAL (
    SELECT x.idempotency_key, x.request_digest, x.answer_used, x.answer_limit, x.answer_resets_at FROM usage_ledger x
    WHERE x.org_id = p_org_id AND x.idempotency_key = wanted.k AND x.request_digest IS NOT NULL AND x.created_at >= p_keys_since
    ORDER BY x.created_at DESC
    LIMIT 1
  ) l;

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
      IF p_digests[j] <> p_digests[i] THEN
        v_outcomes[i] := 'conflict';
      ELSE
        v_outcomes[i] := replace(v_outcomes[j], 'admitted', 'replay');
        v_results[i] := v_results[j];
        v_limits[i] := v_limits[j];
        v_resets_at[i] := v_resets_at[j];
      END IF;
      CONTINUE;
    END IF;

    IF v_prior ? p_keys[i] THEN
      IF v_prior -> p_keys[i] ->> 'digest' = p_digests[i] THEN
        -- The first answer, as it was sent: its metric is this request's (the digests match).
        v_outcomes[i] := 'replay';
        v_results[i] := (v_prior -> p_keys[i] ->> 'used')::bigint;
        v_limits[i] := (v_prior -> p_keys[i] ->> 'limit')::bigint;
        v_resets_at[i] := (v_prior -> p_keys[i] ->> 'resetsAt')::timestamptz;
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

    -- Every admitted event's ledger row, a zero quantity's too: it is the key's record.
    INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, idempotency_key, created_at, request_digest, answer_used, answer_limit, answer_resets_at)
    SELECT p_org_id, NULLIF(uid, ''), m, ps, a, k, p_now, decode(d, 'hex'), u, l, rs
    FROM unnest(p_metrics, p_period_starts, p_user_ids, v_applied, p_keys, p_digests, v_results, p_limits, p_resets_at, v_outcomes)
      AS x(m, ps, uid, a, k, d, u, l, rs, o)
    WHERE o = 'admitted';
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

  -- A replay's limit and reset are its first answer's; the app builds every other answer from its own terms.
  RETURN QUERY SELECT x.i::int, x.o, x.u, CASE WHEN x.o = 'replay' THEN x.l END, CASE WHEN x.o = 'replay' THEN x.rs END
  FROM unnest(v_outcomes, v_results, v_limits, v_resets_at) WITH ORDINALITY AS x(o, u, l, rs, i);
END $function$
