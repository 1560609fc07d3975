// Test-wide environment: the embedded store runs in memory when no server is given.
process.env.PGLITE_DATA_DIR ??= "memory://";
process.env.AUTH_SECRET ??= "test-secret";
process.env.STRIPE_WEBHOOK_SECRET ??= "whsec_test_secret";
process.env.STRIPE_SECRET_KEY ??= "sk_test_placeholder";
// The demo orgs and demo sign-in, as on a demo deployment.
process.env.LEDGERLINE_DEMO ??= "true";
// Abuse-limit counts in Redis (when REDIS_URL is set) under a prefix of this run's own, so runs never see each other's.
process.env.REDIS_KEY_PREFIX ??= `ledgerline_test_${process.pid}_${Date.now()}:`;
