"use client";

import { Fragment } from "react";
import { Dialog, DialogBody } from "../ui/dialog";
import { Kbd } from "../ui/kbd";
import { useModKey } from "../ui/use-platform";

/** Every keyboard shortcut, each of which also has a visible control somewhere. */
export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const mod = useModKey();
  const groups: { title: string; rows: { keys: string[][]; label: string }[] }[] = [
    {
      title: "Anywhere",
      rows: [
        { keys: [[mod, "K"]], label: "Search agents and commands" },
        { keys: [[mod, "/"], ["?"]], label: "Show keyboard shortcuts" },
        { keys: [["Esc"]], label: "Close a dialog or menu" },
      ],
    },
    {
      title: "Agents",
      rows: [
        { keys: [["N"]], label: "Add an agent" },
        { keys: [["["], ["]"]], label: "Previous / next agent" },
      ],
    },
    {
      title: "Conversation (agent page)",
      rows: [
        { keys: [["/"]], label: "Focus the message box" },
        { keys: [["Enter"], [mod, "Enter"]], label: "Send (Shift+Enter: new line)" },
        { keys: [["Esc"]], label: "Leave the message box" },
        { keys: [["Alt", "T"]], label: "New tab" },
        {
          keys: [
            ["Alt", "["],
            ["Alt", "]"],
          ],
          label: "Previous / next tab",
        },
        { keys: [["Alt", "1…9"]], label: "Go to tab 1…9" },
        { keys: [[mod, "`"]], label: "Switch between AI and command terminal" },
      ],
    },
    {
      title: "Auto Run document",
      rows: [{ keys: [[mod, "S"]], label: "Save the document (in Edit)" }],
    },
    {
      title: "Go to",
      rows: [
        { keys: [["G", "A"]], label: "Agents" },
        { keys: [["G", "C"]], label: "Group chats" },
        { keys: [["G", "M"]], label: "Missions" },
        { keys: [["G", "R"]], label: "Auto Run" },
        { keys: [["G", "H"]], label: "History" },
        { keys: [["G", "S"]], label: "Settings" },
        { keys: [["G", "D"]], label: "Doctor" },
      ],
    },
  ];
  return (
    <Dialog open onClose={onClose} title="Keyboard shortcuts" variant="center" size="md">
      <DialogBody className="pb-6">
        {groups.map((g) => (
          <section key={g.title} className="mt-2 first:mt-0">
            <h3 className="mb-1 text-xs font-semibold tracking-wider text-muted uppercase">{g.title}</h3>
            <dl className="divide-y divide-border">
              {g.rows.map((row) => (
                <div key={row.label} className="flex items-center justify-between gap-4 py-2.5">
                  <dt className="text-[15px]">{row.label}</dt>
                  <dd className="flex shrink-0 items-center gap-1.5 text-xs text-muted">
                    {row.keys.map((combo, i) => (
                      <Fragment key={i}>
                        {i > 0 && <span>or</span>}
                        <span className="flex items-center gap-1">
                          {combo.map((k, j) => (
                            <Fragment key={k}>
                              {j > 0 && combo[0] === "G" && <span className="text-[11px]">then</span>}
                              <Kbd>{k}</Kbd>
                            </Fragment>
                          ))}
                        </span>
                      </Fragment>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <p className="mt-4 text-sm text-muted">Single-key shortcuts are off while you type in a field.</p>
      </DialogBody>
    </Dialog>
  );
}
