// Test-wide environment: the embedded store runs in memory when no server is given.
process.env.PGLITE_DATA_DIR ??= "memory://";
process.env.AUTH_SECRET ??= "test-secret";
process.env.STRIPE_WEBHOOK_SECRET ??= "whsec_test_secret";
process.env.STRIPE_SECRET_KEY ??= "sk_test_placeholder";
process.env.AUTH_DEMO_SIGN_IN ??= "true";
