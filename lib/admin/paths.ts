/** Where the admin pages live, for links, the header and revalidation. */
export const USAGE_LIMITS_PATH = "/admin/usage-limits";
export const MEMBERS_PATH = "/admin/members";
export const API_KEYS_PATH = "/admin/api-keys";
export const ALERTS_PATH = "/admin/alerts";
export const AUDIT_PATH = "/admin/audit";
export const MAIL_OUTBOX_PATH = "/admin/mail-outbox";
export const NOTIFICATIONS_PATH = "/notifications";
