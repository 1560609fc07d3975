import type { AiPanelView } from "@/lib/usage-view";
import { Card, CardHeader } from "@/components/ui/card";
import { AiUsageDetails } from "./ai-usage-details";
import { AmountToggle } from "./amount-toggle";
import { PausedBanner } from "./paused-banner";

/** `personId` and `initiallyDollars`: whose Show $ choice it is, and what it was left at. */
export function AiUsagePanel({ ai, personId, initiallyDollars }: { ai: AiPanelView; personId: string; initiallyDollars: boolean }) {
  const heading = <CardHeader id="ai-usage-title" title="AI usage this cycle" description="Your organization's monthly AI pool, by category." />;
  return (
    <Card aria-labelledby="ai-usage-title" className="p-5 sm:p-6">
      {ai.paused && <PausedBanner viewerIsAdmin={ai.paused.viewerIsAdmin} />}
      {ai.dollars ? (
        <AmountToggle
          heading={heading}
          percent={<AiUsageDetails ai={ai} mode="percent" />}
          dollars={<AiUsageDetails ai={ai} mode="dollars" />}
          personId={personId}
          initiallyDollars={initiallyDollars}
        />
      ) : (
        <>
          {heading}
          <AiUsageDetails ai={ai} mode="percent" />
        </>
      )}
    </Card>
  );
}
