"use client";

import "@xterm/xterm/css/xterm.css";
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import { useEffect, useRef, useState } from "react";
import { barKeyBytes, controlChar, type BarKey } from "@/lib/terminal/keys";
import {
  describeExit,
  TERMINAL_WS_PATH,
  CLOSE_NO_TERMINAL,
  CLOSE_TERMINAL_CLOSED,
  type ServerMessage,
  type TerminalExit,
} from "@/lib/terminal/protocol";
import { IconCopy, IconRefresh, IconX } from "../ui/icons";
import { useToast } from "../ui/toaster";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { readStored, storageKeys, writeStored } from "../ui/storage";
import { copyText } from "../ui/copy-button";
import { KeyBar } from "./key-bar";
import { useKeyboardInset } from "./use-keyboard-inset";
import { isViewToggle } from "./view-toggle";

type Status = "connecting" | "open" | "reconnecting" | "gone";

const MIN_FONT = 9;
const MAX_FONT = 24;

function readFont(): number {
  const n = Number(readStored(storageKeys.terminalFontSize));
  if (n >= MIN_FONT && n <= MAX_FONT) return n;
  return window.matchMedia("(max-width: 640px)").matches ? 13 : 14;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * One command terminal: xterm.js on a websocket to the bridge's pty (protocol in
 * lib/terminal/protocol.ts). Reconnects by itself; the bridge replays its scrollback, so a
 * reload or a phone waking up gets the same screen.
 */
export function XtermView({
  terminalId,
  active,
  showKeyBar,
  onGone,
  onRestart,
}: {
  terminalId: string;
  active: boolean;
  showKeyBar: boolean;
  /** The bridge says this terminal no longer exists (closed elsewhere, idle timeout). */
  onGone: () => void;
  /** Close this exited terminal and open a fresh one. */
  onRestart: () => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const fit = useRef<FitAddon | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const ctrlRef = useRef(false);
  const [ctrl, setCtrlState] = useState(false);
  const [status, setStatus] = useState<Status>("connecting");
  const [exit, setExit] = useState<TerminalExit | null>(null);
  const [fontSize, setFontSize] = useState<number | null>(null);
  const inset = useKeyboardInset();
  const toast = useToast();
  const latest = useRef({ onGone });
  latest.current = { onGone };

  const setCtrl = (on: boolean) => {
    ctrlRef.current = on;
    setCtrlState(on);
  };

  const send = (text: string) => {
    const ws = socket.current;
    if (ws?.readyState === WebSocket.OPEN) ws.send(new TextEncoder().encode(text));
  };

  // The terminal and its connection live as long as this view.
  useEffect(() => {
    const t = new Terminal({
      fontSize: readFont(),
      fontFamily: 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
      cursorBlink: true,
      scrollback: 5000,
      allowProposedApi: false,
      theme: {
        background: cssVar("--color-surface", "#141821"),
        foreground: cssVar("--color-text", "#e8ebf1"),
        cursor: cssVar("--color-accent", "#818cf8"),
        selectionBackground: "#818cf866",
      },
    });
    const f = new FitAddon();
    t.loadAddon(f);
    t.open(host.current!);
    term.current = t;
    fit.current = f;
    setFontSize(t.options.fontSize ?? 14);
    t.attachCustomKeyEventHandler((e) => !isViewToggle(e));

    const input = t.onData((data) => {
      if (ctrlRef.current && data.length === 1) {
        data = controlChar(data);
        setCtrl(false);
      }
      send(data);
    });
    const resize = t.onResize(({ cols, rows }) => {
      if (socket.current?.readyState === WebSocket.OPEN) socket.current.send(JSON.stringify({ t: "resize", cols, rows }));
    });

    let disposed = false;
    let retry = 0;
    let retryTimer: number | undefined;
    function connect() {
      const proto = window.location.protocol === "https:" ? "wss" : "ws";
      const ws = new WebSocket(`${proto}://${window.location.host}${TERMINAL_WS_PATH}?id=${encodeURIComponent(terminalId)}`);
      ws.binaryType = "arraybuffer";
      socket.current = ws;
      ws.onmessage = (e) => {
        if (typeof e.data !== "string") {
          t.write(new Uint8Array(e.data as ArrayBuffer));
          return;
        }
        const msg = JSON.parse(e.data) as ServerMessage;
        if (msg.t === "attached") {
          retry = 0;
          // The scrollback that follows redraws everything: start from a clean screen.
          t.reset();
          setStatus("open");
          setExit(msg.exit);
          try {
            f.fit();
          } catch {
            /* hidden */
          }
          ws.send(JSON.stringify({ t: "resize", cols: t.cols, rows: t.rows }));
        } else if (msg.t === "exit") {
          setExit({ code: msg.code, signal: msg.signal });
        }
      };
      ws.onclose = (e) => {
        if (disposed || socket.current !== ws) return;
        if (e.code === CLOSE_TERMINAL_CLOSED || e.code === CLOSE_NO_TERMINAL) {
          setStatus("gone");
          latest.current.onGone();
          return;
        }
        setStatus("reconnecting");
        retryTimer = window.setTimeout(connect, Math.min(10_000, 500 * 2 ** retry++));
      };
    }
    connect();

    const observer = new ResizeObserver(() => {
      if (!host.current?.offsetParent) return; // hidden: keep the size it had
      try {
        f.fit();
      } catch {
        /* not laid out yet */
      }
    });
    observer.observe(host.current!);

    return () => {
      disposed = true;
      window.clearTimeout(retryTimer);
      observer.disconnect();
      input.dispose();
      resize.dispose();
      socket.current?.close();
      socket.current = null;
      t.dispose();
      term.current = null;
    };
  }, [terminalId]);

  useEffect(() => {
    if (!active) return;
    requestAnimationFrame(() => {
      try {
        fit.current?.fit();
      } catch {
        /* hidden */
      }
      term.current?.focus();
    });
  }, [active]);

  const changeFont = (by: number) => {
    const t = term.current;
    if (!t) return;
    const next = Math.min(MAX_FONT, Math.max(MIN_FONT, (t.options.fontSize ?? 14) + by));
    t.options.fontSize = next;
    setFontSize(next);
    writeStored(storageKeys.terminalFontSize, String(next));
    try {
      fit.current?.fit();
    } catch {
      /* ignore */
    }
    t.focus();
  };

  const copy = async () => {
    const t = term.current;
    if (!t) return;
    let text = t.getSelection();
    if (!text) {
      // Nothing selected: the visible screen.
      const b = t.buffer.active;
      const lines: string[] = [];
      for (let y = b.viewportY; y < b.viewportY + t.rows; y++) lines.push(b.getLine(y)?.translateToString(true) ?? "");
      text = lines.join("\n").replace(/\s+$/, "");
    }
    const ok = await copyText(text);
    toast(ok ? "Copied" : "Couldn't copy", ok ? "ok" : "bad");
    t.focus();
  };

  const onBarKey = (key: BarKey) => {
    const t = term.current;
    let bytes = barKeyBytes(key, t?.modes.applicationCursorKeysMode ?? false);
    if (ctrlRef.current) {
      if (bytes.length === 1) bytes = controlChar(bytes);
      setCtrl(false);
    }
    send(bytes);
    t?.focus();
  };

  const keyboardOpen = inset > 0;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-1 border-b border-border px-2 py-1 text-sm text-muted">
        <span role="status" className="min-w-0 flex-1 truncate px-1">
          {status === "connecting" && "Connecting…"}
          {status === "reconnecting" && "Reconnecting… (the shell keeps running)"}
          {status === "gone" && "This terminal was closed."}
          {status === "open" && (exit ? `Shell ${describeExit(exit)}` : "Connected")}
        </span>
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label="Smaller text"
          onPointerDown={(e) => e.preventDefault()}
          onClick={() => changeFont(-1)}
          disabled={fontSize !== null && fontSize <= MIN_FONT}
        >
          <span aria-hidden="true" className="text-xs font-semibold">
            A−
          </span>
        </Button>
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label="Larger text"
          onPointerDown={(e) => e.preventDefault()}
          onClick={() => changeFont(1)}
          disabled={fontSize !== null && fontSize >= MAX_FONT}
        >
          <span aria-hidden="true" className="text-base font-semibold">
            A+
          </span>
        </Button>
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label="Copy"
          onPointerDown={(e) => e.preventDefault()}
          title="Copy the selection (or the screen)"
          onClick={() => void copy()}
        >
          <IconCopy className="size-4" />
        </Button>
      </div>
      {exit && status === "open" && (
        <div className="flex flex-wrap items-center gap-2 border-b border-border bg-surface-2 px-3 py-2 text-sm" role="alert">
          <span className="flex-1">The shell {describeExit(exit)}. Its output stays here until you close the terminal.</span>
          <Button size="sm" onClick={onRestart}>
            <IconRefresh className="size-4" />
            Restart
          </Button>
        </div>
      )}
      {status === "gone" && (
        <div className="flex items-center gap-2 border-b border-border bg-surface-2 px-3 py-2 text-sm" role="alert">
          <IconX className="size-4" />
          <span className="flex-1">Closed on the bridge (closed elsewhere, or idle for too long).</span>
        </div>
      )}
      <div
        ref={host}
        aria-label="Command terminal"
        className={cn("min-h-0 flex-1 overflow-hidden bg-surface pt-1 pl-1.5", keyboardOpen && showKeyBar && "pb-14")}
        onClick={() => term.current?.focus()}
      />
      {showKeyBar && (
        <KeyBar
          ctrl={ctrl}
          onCtrl={setCtrl}
          onKey={onBarKey}
          className={keyboardOpen ? "fixed inset-x-0 z-40" : "pb-[calc(0.375rem+env(safe-area-inset-bottom))]"}
          style={keyboardOpen ? { bottom: inset } : undefined}
        />
      )}
    </div>
  );
}
