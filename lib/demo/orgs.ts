import type { SHIPPED_DEFAULTS } from "@/lib/config/shipped-defaults";
import type { PlanId } from "@/lib/limits/plans";

/** The demo organizations and people, as listed in the README. */

export type DemoRole = "super_admin" | "admin" | "manager" | "user";

export interface DemoMember {
  id: string;
  name: string;
  email: string;
  role: DemoRole;
  seatType: "power" | "collaborator";
  aiAllocationMicros?: number;
  enrichmentAllocation?: number;
}

export interface DemoOrg {
  id: string;
  name: string;
  plan: PlanId;
  billingAnchor: Date;
  apiKeyEnv: keyof typeof SHIPPED_DEFAULTS & `DEMO_API_KEY_${string}`;
  aiPaused?: boolean;
  subscriptionStatus?: string;
  previewFlag?: boolean;
  creditMicros?: number;
  members: DemoMember[];
}

const USD = 1_000_000;

export const DEMO_ORGS: DemoOrg[] = [
  {
    id: "org_acme",
    name: "Acme",
    plan: "pro",
    billingAnchor: new Date("2025-01-31T00:00:00Z"),
    apiKeyEnv: "DEMO_API_KEY_ACME",
    creditMicros: 25 * USD,
    members: [
      { id: "user_ada", name: "Ada Lovelace", email: "ada@acme.test", role: "super_admin", seatType: "power" },
      { id: "user_alan", name: "Alan Turing", email: "alan@acme.test", role: "admin", seatType: "power" },
      { id: "user_grace", name: "Grace Hopper", email: "grace@acme.test", role: "manager", seatType: "power" },
      { id: "user_linus", name: "Linus Pauling", email: "linus@acme.test", role: "user", seatType: "collaborator", aiAllocationMicros: 10 * USD, enrichmentAllocation: 100 },
      { id: "user_margaret", name: "Margaret Hamilton", email: "margaret@acme.test", role: "user", seatType: "collaborator" },
    ],
  },
  {
    id: "org_northwind",
    name: "Northwind",
    plan: "business",
    billingAnchor: new Date("2025-06-12T09:30:00Z"),
    apiKeyEnv: "DEMO_API_KEY_NORTHWIND",
    aiPaused: true,
    subscriptionStatus: "unpaid",
    members: [
      { id: "user_nina", name: "Nina Simone", email: "nina@northwind.test", role: "admin", seatType: "power" },
      { id: "user_nate", name: "Nate Silver", email: "nate@northwind.test", role: "user", seatType: "collaborator" },
    ],
  },
  {
    id: "org_freebie",
    name: "Freebie",
    plan: "free",
    billingAnchor: new Date("2026-03-01T00:00:00Z"),
    apiKeyEnv: "DEMO_API_KEY_FREEBIE",
    members: [{ id: "user_fred", name: "Fred Brooks", email: "fred@freebie.test", role: "admin", seatType: "power" }],
  },
  {
    id: "org_summit",
    name: "Summit",
    plan: "ultra",
    billingAnchor: new Date("2024-11-15T00:00:00Z"),
    apiKeyEnv: "DEMO_API_KEY_SUMMIT",
    members: [
      { id: "user_sam", name: "Sam Altmore", email: "sam@summit.test", role: "admin", seatType: "power" },
      { id: "user_sue", name: "Sue Black", email: "sue@summit.test", role: "user", seatType: "collaborator" },
    ],
  },
  {
    id: "org_beta_labs",
    name: "Beta Labs",
    plan: "pro",
    billingAnchor: new Date("2026-02-10T00:00:00Z"),
    apiKeyEnv: "DEMO_API_KEY_BETA_LABS",
    previewFlag: true,
    members: [
      { id: "user_bella", name: "Bella Baxter", email: "bella@betalabs.test", role: "user", seatType: "collaborator" },
      { id: "user_ben", name: "Ben Okafor", email: "ben@betalabs.test", role: "admin", seatType: "power" },
    ],
  },
];
