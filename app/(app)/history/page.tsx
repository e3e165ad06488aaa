"use client";

import { FeatureIntro } from "@/components/feature-intro";
import { IconHistory } from "@/components/icons";
import { PageHeader, pageX } from "@/components/page-header";
import { usePageTitle } from "@/components/ui/use-page-title";

export default function HistoryPage() {
  usePageTitle("History");
  return (
    <>
      <PageHeader title="History" subtitle="What your agents did, newest first." />
      <div className={pageX}>
        <FeatureIntro
          icon={IconHistory}
          title="Nothing recorded yet"
          footer="History arrives with conversations and Auto Run in an upcoming version of Maestro. No sample data is shown."
        >
          <p>
            History: everything your agents did — the prompts you sent, each Auto Run task and loop, group chats — in one
            timeline, with a link back to the session where it happened.
          </p>
          <p>Filter it by agent or by kind to answer “what changed while I was away?”.</p>
        </FeatureIntro>
      </div>
    </>
  );
}
