"use client";

import { AutorunRunsSection } from "@/components/autorun/playbook-list";
import { FeatureIntro } from "@/components/feature-intro";
import { IconPlaybook } from "@/components/icons";
import { PageHeader, pageX } from "@/components/page-header";
import { usePageTitle } from "@/components/ui/use-page-title";

const SAMPLE = `# Release checklist
- [x] Bump the version
- [ ] Update the changelog
- [ ] Run the test suite and fix failures`;

export default function AutoRunPage() {
  usePageTitle("Auto Run");
  return (
    <>
      <PageHeader title="Auto Run" subtitle="Hand an agent a checklist and let it work through it." />
      <div className={pageX}>
        <div className="mb-6">
          <AutorunRunsSection />
        </div>
        <FeatureIntro
          icon={IconPlaybook}
          title="No runs yet"
          steps={[
            {
              title: "Write a checklist",
              body: (
                <>
                  A markdown file with <code className="font-mono text-[13px] text-text">- [ ]</code> tasks, saved in{" "}
                  <code className="whitespace-nowrap font-mono text-[13px] text-text">&lt;project&gt;/.maestro/playbooks/</code>.
                </>
              ),
            },
            { title: "Start a run", body: "Pick the documents and their order; loop or reset them when they are done." },
            { title: "Watch it tick", body: "Progress shows as “Task 3 of 12”, and you are notified when it finishes or needs you." },
          ]}
          footer="Auto Run arrives in an upcoming version of Maestro. Nothing here is simulated: this page fills up once it does."
        >
          <p>
            Auto Run works through markdown checklists in <code className="whitespace-nowrap font-mono text-[13px] text-text">&lt;project&gt;/.maestro/playbooks/</code>,
            one task at a time, each in a fresh session of the agent&apos;s AI CLI. The agent ticks the box when a task is done.
          </p>
          <pre className="overflow-x-auto rounded-xl border border-border bg-bg p-3.5 font-mono text-[13px] leading-6 text-text">
            <code>{SAMPLE}</code>
          </pre>
        </FeatureIntro>
      </div>
    </>
  );
}
