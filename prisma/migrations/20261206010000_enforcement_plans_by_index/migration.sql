-- The enforcement functions find every row they touch by an index: a hold, a key, a counter, an
-- org's expired keys. PL/pgSQL keeps a generic plan of each statement per connection, made from
-- the statistics of that moment, and statistics can say a table is empty (VACUUM or ANALYZE of a
-- fresh table): every plan is then a sequential scan, as cheap as any on an empty table, and it is
-- kept while the table grows. Found on ai_authorizations: a hold's lookup by its primary key read
-- the whole table, and AI pairs fell from about 1,600 to 156 a second within a load as holds
-- accumulated (tests/integration/enforcement-plans.test.ts). With sequential scans off inside these
-- functions, the planner takes the index whatever the statistics say; a statement with no index to
-- use still runs, by a sequential scan.
ALTER FUNCTION ledgerline_consume_run SET enable_seqscan = off;
ALTER FUNCTION ledgerline_consume SET enable_seqscan = off;
ALTER FUNCTION ledgerline_ai_authorize SET enable_seqscan = off;
ALTER FUNCTION ledgerline_ai_settle SET enable_seqscan = off;
ALTER FUNCTION ledgerline_ai_release SET enable_seqscan = off;
ALTER FUNCTION ledgerline_purge_keys SET enable_seqscan = off;
