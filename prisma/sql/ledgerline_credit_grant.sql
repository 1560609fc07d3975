-- ledgerline_credit_grant: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261203100000_credit_grants/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_credit_grant(p_org_id text, p_kind text, p_source text, p_amount bigint, p_reference text, p_expires_at timestamp with time zone, p_now timestamp with time zone)
 RETURNS boolean
 LANGUAGE plpgsql
AS $function$
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
END $function$
