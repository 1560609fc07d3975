-- Credits that expire. Each grant of prepaid AI credits (a purchase, an automatic top-up, a
-- promotional grant, a positive adjustment) is a credit_grants row with what is left of it and
-- an optional expiry. The balance stays the sum of the credit ledger, and is now also the sum of
-- what is left of the grants: every writer keeps both under the org's credit_accounts row lock,
-- taken first, so grants, draws and expiries of one org happen one at a time.
--
-- Draw order: grants with an expiry first, the soonest to expire first; then grants without an
-- expiry, oldest first (ties by id). A grant leaves the balance at its expiry through an `expiry`
-- ledger row dated at that instant, written by whichever comes first: the store's upkeep sweep,
-- or an authorize or settle of the org that finds the grant past its expiry. AI holds reserve
-- credits against the balance as a whole (credit_accounts.held_micros), not against a grant: a
-- grant that expires under a hold takes its whole remainder with it, and the hold's settle then
-- draws only on what is still there (the pool records the rest, as it records any cost of work
-- already done past the cap).

CREATE TABLE "credit_grants" (
  "id" BIGSERIAL NOT NULL,
  "org_id" TEXT NOT NULL,
  -- purchase, top_up, promotional or adjustment.
  "source" TEXT NOT NULL,
  "amount_micros" BIGINT NOT NULL,
  "remaining_micros" BIGINT NOT NULL,
  -- The reference of the ledger row that granted it (a Checkout session, a top-up, ...).
  "reference" TEXT NOT NULL,
  "expires_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "credit_grants_pkey" PRIMARY KEY ("org_id", "id"),
  CONSTRAINT "credit_grants_source_check" CHECK ("source" IN ('purchase', 'top_up', 'promotional', 'adjustment')),
  CONSTRAINT "credit_grants_amounts_check" CHECK ("amount_micros" > 0 AND "remaining_micros" >= 0 AND "remaining_micros" <= "amount_micros")
);
CREATE UNIQUE INDEX "credit_grants_org_id_reference_key" ON "credit_grants"("org_id", "reference");
-- The draw order, over grants with something left.
CREATE INDEX "credit_grants_draw_idx" ON "credit_grants"("org_id", "expires_at", "created_at", "id") WHERE "remaining_micros" > 0;
-- The upkeep sweep's probe for orgs with a grant past its expiry.
CREATE INDEX "credit_grants_expiry_idx" ON "credit_grants"("expires_at") WHERE "remaining_micros" > 0 AND "expires_at" IS NOT NULL;

-- The earliest expiry among the org's grants with something left, or earlier (a grant drawn to
-- zero leaves it early; the next expiry pass finds nothing and corrects it). Read in the same
-- locking statement as the balance, it spares authorize and settle a look at the grants.
ALTER TABLE "credit_accounts" ADD COLUMN "next_expiry_at" TIMESTAMPTZ(3);

-- Every positive ledger row so far becomes a grant without an expiry. What has been drawn is
-- taken from the oldest first, so what is left of them sums to the balance.
INSERT INTO "credit_grants" ("org_id", "source", "amount_micros", "remaining_micros", "reference", "created_at")
SELECT l.org_id, CASE l.kind WHEN 'adjustment' THEN 'adjustment' ELSE 'purchase' END, l.amount_micros,
       greatest(0, least(l.amount_micros, l.running - (t.granted - a.balance_micros))), l.reference, l.created_at
FROM (SELECT x.*, sum(x.amount_micros) OVER (PARTITION BY x.org_id ORDER BY x.created_at, x.id) AS running
      FROM credit_ledger x WHERE x.amount_micros > 0) l
JOIN (SELECT org_id, sum(amount_micros) AS granted FROM credit_ledger WHERE amount_micros > 0 GROUP BY org_id) t ON t.org_id = l.org_id
JOIN credit_accounts a ON a.org_id = l.org_id;

CREATE FUNCTION ledgerline_credit_grant(p_org_id text, p_kind text, p_source text, p_amount bigint, p_reference text, p_expires_at timestamptz, p_now timestamptz)
RETURNS boolean LANGUAGE plpgsql AS $$
-- Grants credits: the ledger row, the grant and the balance, all or nothing. A reference already
-- used grants nothing and answers false (a webhook delivered twice grants once).
BEGIN
  IF p_amount <= 0 THEN
    RAISE EXCEPTION 'a credit grant is positive, got % for %', p_amount, p_reference;
  END IF;
  IF p_expires_at IS NOT NULL AND p_expires_at <= p_now THEN
    RAISE EXCEPTION 'credit grant % expires at %, which is not after %', p_reference, p_expires_at, p_now;
  END IF;
  INSERT INTO credit_accounts (org_id) VALUES (p_org_id) ON CONFLICT (org_id) DO NOTHING;
  PERFORM 1 FROM credit_accounts a WHERE a.org_id = p_org_id FOR UPDATE;
  INSERT INTO credit_ledger (org_id, kind, amount_micros, reference, created_at) VALUES (p_org_id, p_kind, p_amount, p_reference, p_now)
  ON CONFLICT (org_id, reference) DO NOTHING;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  INSERT INTO credit_grants (org_id, source, amount_micros, remaining_micros, reference, expires_at, created_at)
  VALUES (p_org_id, p_source, p_amount, p_amount, p_reference, p_expires_at, p_now);
  UPDATE credit_accounts a SET balance_micros = a.balance_micros + p_amount, next_expiry_at = least(a.next_expiry_at, p_expires_at)
  WHERE a.org_id = p_org_id;
  RETURN true;
END $$;

CREATE FUNCTION ledgerline_draw_credits(p_org_id text, p_now timestamptz, p_amount bigint)
RETURNS void LANGUAGE plpgsql AS $$
-- Takes p_amount from the org's grants live at p_now, in draw order: expiring grants soonest
-- first, then grants without an expiry, oldest first. The caller holds the org's credit_accounts
-- row lock (every writer of grants takes it first), has expired what is past its expiry, and
-- moves the balance and writes the ledger row itself.
DECLARE
  v_left bigint := p_amount;
  v_take bigint;
  v_id bigint;
  g record;
BEGIN
  FOR g IN
    SELECT x.id, x.remaining_micros FROM credit_grants x
    WHERE x.org_id = p_org_id AND x.remaining_micros > 0 AND (x.expires_at IS NULL OR x.expires_at > p_now)
    ORDER BY x.expires_at NULLS LAST, x.created_at, x.id
  LOOP
    EXIT WHEN v_left = 0;
    v_take := least(v_left, g.remaining_micros);
    v_id := g.id;
    UPDATE credit_grants x SET remaining_micros = x.remaining_micros - v_take WHERE x.org_id = p_org_id AND x.id = v_id;
    v_left := v_left - v_take;
  END LOOP;
  IF v_left > 0 THEN
    RAISE EXCEPTION 'the live credit grants of org % fall % micro-dollars short of a draw of %', p_org_id, v_left, p_amount;
  END IF;
END $$;

CREATE FUNCTION ledgerline_expire_credits(p_org_id text, p_now timestamptz)
RETURNS bigint LANGUAGE plpgsql AS $$
-- Every grant of the org past its expiry at p_now leaves the balance with what is left of it:
-- an `expiry` ledger row dated at the expiry, referenced `expiry:<grant reference>`. Returns the
-- amount expired. Locks the org's credit_accounts row first (a no-op for a caller that holds it),
-- so an expiry and a draw never interleave, and a grant expires once however many callers race.
DECLARE
  v_total bigint := 0;
  v_id bigint;
  v_left bigint;
  g record;
BEGIN
  PERFORM 1 FROM credit_accounts a WHERE a.org_id = p_org_id FOR UPDATE;
  FOR g IN
    SELECT x.id, x.remaining_micros, x.reference, x.expires_at FROM credit_grants x
    WHERE x.org_id = p_org_id AND x.remaining_micros > 0 AND x.expires_at <= p_now
    ORDER BY x.expires_at, x.created_at, x.id
  LOOP
    v_id := g.id;
    v_left := g.remaining_micros;
    INSERT INTO credit_ledger (org_id, kind, amount_micros, reference, created_at)
    VALUES (p_org_id, 'expiry', -v_left, 'expiry:' || g.reference, g.expires_at);
    UPDATE credit_grants x SET remaining_micros = 0 WHERE x.org_id = p_org_id AND x.id = v_id;
    v_total := v_total + v_left;
  END LOOP;
  UPDATE credit_accounts a SET balance_micros = a.balance_micros - v_total,
    next_expiry_at = (SELECT min(x.expires_at) FROM credit_grants x WHERE x.org_id = p_org_id AND x.remaining_micros > 0 AND x.expires_at > p_now)
  WHERE a.org_id = p_org_id;
  RETURN v_total;
END $$;

-- Authorize and settle expire the org's due grants before they decide on the balance; settle
-- draws what it takes from credits from the grants. Otherwise as before.
CREATE OR REPLACE FUNCTION public.ledgerline_ai_authorize(p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamp with time zone, p_period_start timestamp with time zone, p_pool_ceiling bigint, p_expires_at timestamp with time zone, p_authorization_ids text[], p_user_ids text[], p_allocation_ceilings bigint[], p_holds bigint[], p_features text[], p_models text[], p_tiers text[])
 RETURNS TABLE(idx integer, outcome text, used bigint)
 LANGUAGE plpgsql
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
  -- reads ai_authorizations_held_idx in its own order, so no plan can prefer another index: the
  -- earlier form (WHERE id IN (... ORDER BY id)) walked the primary key over every hold of the
  -- org when the table had been analysed while nearly empty, on every call.
  FOR h IN
    UPDATE ai_authorizations a SET status = 'expired'
    WHERE a.org_id = p_org_id AND a.id = ANY(ARRAY(
      SELECT x.id FROM ai_authorizations x
      WHERE x.org_id = p_org_id AND x.status = 'held' AND x.expires_at <= p_now
      ORDER BY x.expires_at LIMIT 1000
      FOR UPDATE SKIP LOCKED))
    RETURNING a.user_id, a.period_start, a.hold_micros, a.pool_hold_micros
  LOOP
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

CREATE OR REPLACE FUNCTION public.ledgerline_ai_settle(p_org_id text, p_config_version bigint, p_key_hash text, p_now timestamp with time zone, p_period_start timestamp with time zone, p_limit bigint, p_pool_ceiling bigint, p_authorization_ids text[], p_input_tokens bigint[], p_output_tokens bigint[], p_costs bigint[])
 RETURNS TABLE(idx integer, outcome text, response jsonb)
 LANGUAGE plpgsql
AS $function$
-- One row per request (idx from 1): settled or replay with the settlement, released, or
-- not_found. A refusal of the whole batch (not_found, unauthorized, stale) is one row with idx 0.
-- Every hold named belongs to the period p_period_start (the app groups them by period).
-- The pool pays first, then free prepaid credits; the cost of work already done is recorded
-- even past the cap. Credits are drawn from the org's grants in draw order
-- (ledgerline_draw_credits).
DECLARE
  v_refusal text := ledgerline_refusal(p_org_id, p_config_version, p_key_hash);
  h ai_authorizations;
  v_pool record;
  v_pool_used bigint;
  v_pool_held bigint;
  v_credits_locked boolean := false;
  v_has_credits boolean;
  v_balance bigint;
  v_credits_held bigint;
  v_next_expiry timestamptz;
  v_drawn bigint := 0;
  v_users text[] := '{}';
  v_used bigint[] := '{}';
  v_held bigint[] := '{}';
  v_allocations bigint[] := '{}';
  v_member record;
  v_m integer;
  v_pool_part bigint;
  v_credit bigint;
  v_tokens bigint;
  v_used_before bigint[] := '{}';
  v_pool_afters bigint[] := '{}';
  v_member_afters bigint[] := '{}';
  v_allocation bigint;
  v_response jsonb;
  v_credits bigint[] := '{}';
  v_entry_users text[] := '{}';
  v_features text[] := '{}';
  v_tiers text[] := '{}';
  v_settled_ids text[] := '{}';
  v_settled_costs bigint[] := '{}';
  v_settled_tokens bigint[] := '{}';
  v_total_cost bigint := 0;
  v_total_tokens bigint := 0;
  v_id text;
  v_user text;
  v_user_used bigint;
  v_user_held bigint;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT 0, v_refusal, NULL::jsonb;
    RETURN;
  END IF;
  v_pool := ledgerline_lock_counter(p_org_id, '', 'ai_budget', p_period_start);
  v_pool_used := v_pool.used;
  v_pool_held := v_pool.held;

  FOR i IN 1 .. cardinality(p_authorization_ids) LOOP
    v_id := p_authorization_ids[i];
    SELECT * INTO h FROM ai_authorizations a WHERE a.org_id = p_org_id AND a.id = v_id FOR UPDATE;
    IF h.id IS NULL THEN
      RETURN QUERY SELECT i, 'not_found'::text, NULL::jsonb;
      CONTINUE;
    ELSIF h.status = 'settled' THEN
      RETURN QUERY SELECT i, 'replay'::text, h.settled_response;
      CONTINUE;
    ELSIF h.status = 'released' THEN
      RETURN QUERY SELECT i, 'released'::text, NULL::jsonb;
      CONTINUE;
    ELSIF h.period_start <> p_period_start THEN
      RAISE EXCEPTION 'authorization % is not of period %', h.id, p_period_start;
    END IF;

    IF NOT v_credits_locked THEN
      SELECT a.balance_micros, a.held_micros, a.next_expiry_at INTO v_balance, v_credits_held, v_next_expiry
      FROM credit_accounts a WHERE a.org_id = p_org_id FOR UPDATE;
      v_has_credits := FOUND;
      -- Grants past their expiry leave the balance first: what is left is what can be drawn.
      IF v_next_expiry <= p_now THEN
        v_balance := v_balance - ledgerline_expire_credits(p_org_id, p_now);
      END IF;
      v_credits_locked := true;
    END IF;
    v_m := array_position(v_users, h.user_id);
    IF v_m IS NULL THEN
      v_member := ledgerline_lock_counter(p_org_id, h.user_id, 'ai_budget', p_period_start);
      v_users := v_users || h.user_id;
      v_used := v_used || v_member.used;
      v_used_before := v_used_before || v_member.used;
      v_held := v_held || v_member.held;
      v_allocations := v_allocations || (SELECT m.ai_allocation_micros FROM memberships m WHERE m.org_id = p_org_id AND m.user_id = h.user_id);
      v_m := cardinality(v_users);
    END IF;
    -- A hold still held gives its reservations back; an expired one already has.
    IF h.status = 'held' THEN
      v_pool_held := greatest(v_pool_held - h.pool_hold_micros, 0);
      IF h.hold_micros > h.pool_hold_micros THEN
        v_credits_held := greatest(v_credits_held - (h.hold_micros - h.pool_hold_micros), 0);
      END IF;
      v_held[v_m] := greatest(v_held[v_m] - h.hold_micros, 0);
    END IF;

    v_pool_part := ledgerline_pool_part(p_costs[i], v_pool_used, v_pool_held, p_pool_ceiling);
    -- Free credits are the balance less other holds' reservations; after an expiry the
    -- reservations can exceed the balance, and then nothing is free.
    v_credit := CASE WHEN v_has_credits THEN greatest(0, least(p_costs[i] - v_pool_part, v_balance - v_credits_held)) ELSE 0 END;
    IF v_credit > 0 THEN
      INSERT INTO credit_ledger (org_id, kind, amount_micros, reference, created_at) VALUES (p_org_id, 'draw_down', -v_credit, h.id, p_now)
      ON CONFLICT (org_id, reference) DO NOTHING;
      IF FOUND THEN
        v_balance := v_balance - v_credit;
        v_drawn := v_drawn + v_credit;
      END IF;
    END IF;
    v_pool_used := v_pool_used + p_costs[i] - v_credit;
    v_used[v_m] := v_used[v_m] + p_costs[i];
    v_pool_afters := v_pool_afters || v_pool_used;
    v_member_afters := v_member_afters || v_used[v_m];

    v_tokens := p_input_tokens[i] + p_output_tokens[i];
    v_response := jsonb_build_object(
      'authorizationId', h.id, 'status', 'settled', 'feature', h.feature, 'tier', h.tier,
      'inputTokens', p_input_tokens[i], 'outputTokens', p_output_tokens[i], 'costMicros', p_costs[i], 'creditMicros', v_credit);
    UPDATE ai_authorizations a SET status = 'settled', settled_response = v_response WHERE a.org_id = p_org_id AND a.id = h.id;
    v_settled_ids := v_settled_ids || h.id;
    v_entry_users := v_entry_users || h.user_id;
    v_features := v_features || h.feature;
    v_tiers := v_tiers || h.tier;
    v_settled_costs := v_settled_costs || p_costs[i];
    v_credits := v_credits || v_credit;
    v_settled_tokens := v_settled_tokens || v_tokens;
    v_total_cost := v_total_cost + p_costs[i];
    v_total_tokens := v_total_tokens + v_tokens;
    RETURN QUERY SELECT i, 'settled'::text, v_response;
  END LOOP;
  IF cardinality(v_settled_ids) = 0 THEN
    RETURN;
  END IF;

  UPDATE usage_counters c SET used = v_pool_used, held = v_pool_held
  WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
  IF v_has_credits THEN
    IF v_drawn > 0 THEN
      PERFORM ledgerline_draw_credits(p_org_id, p_now, v_drawn);
    END IF;
    UPDATE credit_accounts a SET balance_micros = v_balance, held_micros = v_credits_held WHERE a.org_id = p_org_id;
  END IF;
  FOR m IN 1 .. cardinality(v_users) LOOP
    v_user := v_users[m];
    v_user_used := v_used[m];
    v_user_held := v_held[m];
    UPDATE usage_counters c SET used = v_user_used, held = v_user_held
    WHERE c.org_id = p_org_id AND c.user_id = v_user AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
  END LOOP;
  INSERT INTO usage_counters AS c (org_id, user_id, metric, period_start, used)
  VALUES (p_org_id, '', 'ai_tokens', p_period_start, v_total_tokens)
  ON CONFLICT (org_id, user_id, metric, period_start) DO UPDATE SET used = c.used + EXCLUDED.used;

  -- Threshold crossings, each at the settle that made it, as the pool's and each member's use
  -- stood after it; looked for only where the batch moved a counter to another band.
  IF ledgerline_band(v_pool.used, p_limit) <> ledgerline_band(v_pool_used, p_limit) THEN
    INSERT INTO usage_alerts (org_id, user_id, metric, period_start, threshold, state, used, limit_value, created_at)
    SELECT p_org_id, '', 'ai_budget', p_period_start, x.threshold, x.state, e.u, p_limit, p_now
    FROM unnest(v_pool_afters, v_settled_costs, v_credits) WITH ORDINALITY AS e(u, cost, credit, i),
         ledgerline_crossings(e.u - (e.cost - e.credit), e.u, p_limit) x
    ORDER BY e.i, x.threshold;
  END IF;
  FOR m IN 1 .. cardinality(v_users) LOOP
    v_user := v_users[m];
    v_allocation := v_allocations[m];
    IF ledgerline_band(v_used_before[m], v_allocation) <> ledgerline_band(v_used[m], v_allocation) THEN
      INSERT INTO usage_alerts (org_id, user_id, metric, period_start, threshold, state, used, limit_value, created_at)
      SELECT p_org_id, v_user, 'ai_budget', p_period_start, x.threshold, x.state, e.u, v_allocation, p_now
      FROM unnest(v_entry_users, v_member_afters, v_settled_costs) WITH ORDINALITY AS e(uid, u, cost, i),
           ledgerline_crossings(e.u - e.cost, e.u, v_allocation) x
      WHERE e.uid = v_user
      ORDER BY e.i, x.threshold;
    END IF;
  END LOOP;

  IF cardinality(v_settled_ids) = 1 THEN
    INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, credit_micros, feature, tier, idempotency_key, created_at)
    VALUES (p_org_id, v_entry_users[1], 'ai_budget', p_period_start, v_settled_costs[1], v_credits[1], v_features[1], v_tiers[1], v_settled_ids[1], p_now),
           (p_org_id, v_entry_users[1], 'ai_tokens', p_period_start, v_settled_tokens[1], 0, v_features[1], v_tiers[1], v_settled_ids[1], p_now);
    INSERT INTO ai_spend AS s (org_id, period_start, feature, tier, spent_micros)
    VALUES (p_org_id, p_period_start, v_features[1], v_tiers[1], v_settled_costs[1])
    ON CONFLICT (org_id, period_start, feature, tier) DO UPDATE SET spent_micros = s.spent_micros + EXCLUDED.spent_micros;
  ELSE
    INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, credit_micros, feature, tier, idempotency_key, created_at)
    SELECT p_org_id, e.uid, x.metric, p_period_start, CASE x.metric WHEN 'ai_budget' THEN e.cost ELSE e.tokens END,
           CASE x.metric WHEN 'ai_budget' THEN e.credit ELSE 0 END, e.feature, e.tier, e.id, p_now
    FROM unnest(v_settled_ids, v_entry_users, v_features, v_tiers, v_settled_costs, v_credits, v_settled_tokens) WITH ORDINALITY
           AS e(id, uid, feature, tier, cost, credit, tokens, n),
         (VALUES (1, 'ai_budget'), (2, 'ai_tokens')) AS x(k, metric)
    ORDER BY e.n, x.k;
    INSERT INTO ai_spend AS s (org_id, period_start, feature, tier, spent_micros)
    SELECT p_org_id, p_period_start, e.feature, e.tier, sum(e.cost)
    FROM unnest(v_features, v_tiers, v_settled_costs) AS e(feature, tier, cost)
    GROUP BY e.feature, e.tier ORDER BY e.feature, e.tier
    ON CONFLICT (org_id, period_start, feature, tier) DO UPDATE SET spent_micros = s.spent_micros + EXCLUDED.spent_micros;
  END IF;
  INSERT INTO usage_daily AS d (org_id, metric, day, quantity)
  VALUES (p_org_id, 'ai_budget', (p_now AT TIME ZONE 'UTC')::date, v_total_cost),
         (p_org_id, 'ai_tokens', (p_now AT TIME ZONE 'UTC')::date, v_total_tokens)
  ON CONFLICT (org_id, metric, day) DO UPDATE SET quantity = d.quantity + EXCLUDED.quantity;
END $function$;
