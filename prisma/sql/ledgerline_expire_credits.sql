-- ledgerline_expire_credits: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261203100000_credit_grants/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_expire_credits(p_org_id text, p_now timestamp with time zone)
 RETURNS bigint
 LANGUAGE plpgsql
AS $function$
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
END $function$
