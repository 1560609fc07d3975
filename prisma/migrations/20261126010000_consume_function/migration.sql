-- Enforcement in one round trip.
--
-- The app caches each org's terms (plan, anchor, overrides, members' allocations)
-- and sends the computed ceilings with every batch; config_version tells it when
-- that cache is stale. Any change to those terms bumps the version, so a batch
-- computed from old terms is refused and recomputed, never applied.

ALTER TABLE "orgs" ADD COLUMN "config_version" BIGINT NOT NULL DEFAULT 1;

CREATE FUNCTION ledgerline_bump_org_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.plan, NEW.billing_anchor, NEW.limit_overrides) IS DISTINCT FROM (OLD.plan, OLD.billing_anchor, OLD.limit_overrides) THEN
    NEW.config_version := OLD.config_version + 1;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER orgs_config_version BEFORE UPDATE ON "orgs"
  FOR EACH ROW EXECUTE FUNCTION ledgerline_bump_org_version();

CREATE FUNCTION ledgerline_bump_member_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE orgs SET config_version = config_version + 1 WHERE id = OLD.org_id;
  ELSE
    UPDATE orgs SET config_version = config_version + 1 WHERE id = NEW.org_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER memberships_config_version AFTER INSERT OR UPDATE OR DELETE ON "memberships"
  FOR EACH ROW EXECUTE FUNCTION ledgerline_bump_member_version();

-- Checks and records a batch of usage events of one org, each all or nothing,
-- in order. Per event the caller sends the counter's period, the ceiling the cap
-- policy allows (null: none), the member whose allocation also applies (with its
-- ceiling, null: shares the pool), the limit to report and the reset time.
-- Outcomes: admitted, replay (a committed earlier answer for this key),
-- conflict (key reused for another request), denied_org, denied_user; or a
-- single row with idx 0: unauthorized, not_found or stale.
CREATE FUNCTION ledgerline_consume(
  p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamptz,
  p_metrics text[], p_period_starts timestamptz[], p_ceilings bigint[],
  p_user_ids text[], p_user_ceilings bigint[], p_track_users boolean[],
  p_quantities bigint[], p_keys text[], p_hashes text[], p_limits bigint[], p_resets_at text[]
) RETURNS TABLE (idx int, outcome text, used bigint, response jsonb)
LANGUAGE plpgsql AS $$
DECLARE
  n int := coalesce(array_length(p_keys, 1), 0);
  v_version bigint;
  v_claimed text[];
  v_prior jsonb := '{}';       -- key -> {hash, response} for keys committed earlier
  v_batch jsonb := '{}';       -- key -> index of its first event in this batch
  v_used jsonb := '{}';        -- counter -> used (org and member counters this batch touches)
  v_held jsonb := '{}';
  v_outcomes text[] := array_fill(NULL::text, ARRAY[n]);
  v_results bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_applied bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  v_responses jsonb[] := array_fill(NULL::jsonb, ARRAY[n]);
  i int;
  org_counter text;
  member_counter text;
  q bigint;
  org_used bigint;
  member_used bigint;
  rec record;
BEGIN
  IF p_key_hash IS NOT NULL THEN
    PERFORM 1 FROM api_keys k WHERE k.key_hash = p_key_hash AND k.org_id = p_org_id AND k.revoked_at IS NULL;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 0, 'unauthorized'::text, NULL::bigint, NULL::jsonb;
      RETURN;
    END IF;
    UPDATE api_keys k SET last_used_at = p_now
    WHERE k.key_hash = p_key_hash AND (k.last_used_at IS NULL OR k.last_used_at < p_now - interval '1 minute');
  END IF;

  SELECT o.config_version INTO v_version FROM orgs o WHERE o.id = p_org_id;
  IF v_version IS NULL THEN
    RETURN QUERY SELECT 0, 'not_found'::text, NULL::bigint, NULL::jsonb;
    RETURN;
  ELSIF v_version <> p_config_version THEN
    RETURN QUERY SELECT 0, 'stale'::text, NULL::bigint, NULL::jsonb;
    RETURN;
  END IF;

  -- Claim every key at once. A key held by a transaction still in flight makes
  -- this wait until that one commits (then it is a replay) or rolls back.
  WITH ins AS (
    INSERT INTO idempotency_keys AS ik (org_id, key, request_hash, status, response)
    SELECT p_org_id, k, h, 0, 'null'::jsonb FROM unnest(p_keys, p_hashes) AS u(k, h)
    ON CONFLICT (org_id, key) DO NOTHING
    RETURNING ik.key
  )
  SELECT coalesce(array_agg(ins.key), '{}') INTO v_claimed FROM ins;

  IF cardinality(v_claimed) < n THEN
    SELECT coalesce(jsonb_object_agg(ik.key, jsonb_build_object('hash', ik.request_hash, 'response', ik.response)), '{}')
    INTO v_prior
    FROM idempotency_keys ik
    WHERE ik.org_id = p_org_id AND ik.key = ANY(p_keys) AND NOT (ik.key = ANY(v_claimed));
  END IF;

  -- Lock every counter this batch may change, in one canonical order, so that
  -- concurrent batches queue instead of deadlocking.
  INSERT INTO usage_counters AS c (org_id, user_id, metric, period_start)
  SELECT DISTINCT p_org_id, u.user_id, u.metric, u.period_start FROM (
    SELECT '' AS user_id, m AS metric, ps AS period_start FROM unnest(p_metrics, p_period_starts) AS x(m, ps)
    UNION
    SELECT uid, m, ps FROM unnest(p_metrics, p_period_starts, p_user_ids, p_track_users) AS x(m, ps, uid, t) WHERE t
  ) u
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (org_id, user_id, metric, period_start) DO NOTHING;

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

    IF NOT (p_keys[i] = ANY(v_claimed)) THEN
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
      CONTINUE;
    ELSIF p_track_users[i] THEN
      member_used := (v_used ->> member_counter)::bigint;
      IF p_user_ceilings[i] IS NOT NULL AND member_used + (v_held ->> member_counter)::bigint + q > p_user_ceilings[i] THEN
        v_outcomes[i] := 'denied_user';
        v_results[i] := member_used;
        CONTINUE;
      END IF;
      v_used := v_used || jsonb_build_object(member_counter, member_used + q);
      org_used := org_used + q;
    ELSE
      org_used := org_used + q;
    END IF;

    v_used := v_used || jsonb_build_object(org_counter, org_used);
    v_outcomes[i] := 'admitted';
    v_results[i] := org_used;
    v_applied[i] := q;
    v_responses[i] := jsonb_build_object('metric', p_metrics[i], 'used', org_used, 'limit', p_limits[i], 'resetsAt', p_resets_at[i]);
  END LOOP;

  -- Counter keys are metric|period|member: the member id comes last, so it may hold any character.
  UPDATE usage_counters c SET used = x.used
  FROM (
    SELECT split_part(e.key, '|', 1) AS metric, split_part(e.key, '|', 2)::timestamptz AS period_start,
           substr(e.key, length(split_part(e.key, '|', 1)) + length(split_part(e.key, '|', 2)) + 3) AS user_id,
           e.value::bigint AS used
    FROM jsonb_each_text(v_used) e
  ) x
  WHERE c.org_id = p_org_id AND c.user_id = x.user_id AND c.metric = x.metric AND c.period_start = x.period_start
    AND c.used <> x.used;

  WITH admitted AS (
    SELECT m, ps, NULLIF(uid, '') AS uid, a, k
    FROM unnest(p_metrics, p_period_starts, p_user_ids, v_applied, p_keys, v_outcomes) AS x(m, ps, uid, a, k, o)
    WHERE o = 'admitted' AND a <> 0
  ), ledger AS (
    INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, idempotency_key, created_at)
    SELECT p_org_id, uid, m, ps, a, k, p_now FROM admitted
  )
  INSERT INTO usage_daily AS d (org_id, metric, day, quantity)
  SELECT p_org_id, m, (p_now AT TIME ZONE 'UTC')::date, sum(a) FROM admitted GROUP BY m
  ON CONFLICT (org_id, metric, day) DO UPDATE SET quantity = d.quantity + EXCLUDED.quantity;

  UPDATE idempotency_keys ik SET status = 200, response = x.r
  FROM unnest(p_keys, v_outcomes, v_responses) AS x(k, o, r)
  WHERE ik.org_id = p_org_id AND ik.key = x.k AND x.o = 'admitted' AND x.k = ANY(v_claimed);

  -- A denied request keeps nothing, not even its key.
  DELETE FROM idempotency_keys ik
  WHERE ik.org_id = p_org_id AND ik.key = ANY(v_claimed) AND ik.status = 0;

  RETURN QUERY SELECT x.i::int, x.o, x.u, x.r FROM unnest(v_outcomes, v_results, v_responses) WITH ORDINALITY AS x(o, u, r, i);
END $$;
