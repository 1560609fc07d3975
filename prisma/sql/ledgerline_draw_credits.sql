-- ledgerline_draw_credits: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261203100000_credit_grants/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_draw_credits(p_org_id text, p_now timestamp with time zone, p_amount bigint)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
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
END $function$
