import fs from "node:fs";

const DEBOUNCE_MS = 150;
const RETRY_MS = 2000;

/**
 * Reference-counted folder watchers, one per agent, alive only while a client listens.
 * fs.watch (recursive; inotify on Linux) instead of polling: a change reaches the UI in ~150 ms
 * and an idle folder costs nothing. Bursts (an editor's save is several events) are debounced into
 * one call. A folder that does not exist yet (or vanishes) is looked for again every 2 s.
 */
export function createFolderWatcher(
  onChange: (key: string) => void,
  options: {
    /** A change to this path (relative to the watched folder) is not news (git's object store, lock files). */
    ignore?: (relative: string) => boolean;
  } = {},
) {
  const { ignore } = options;
  interface Entry {
    refs: number;
    root: string;
    watcher: fs.FSWatcher | null;
    timer: NodeJS.Timeout | null;
    retry: NodeJS.Timeout | null;
  }
  const entries = new Map<string, Entry>();

  function fire(key: string, e: Entry) {
    if (e.timer) clearTimeout(e.timer);
    e.timer = setTimeout(() => {
      e.timer = null;
      onChange(key);
    }, DEBOUNCE_MS);
  }

  function start(key: string, e: Entry) {
    e.retry = null;
    if (entries.get(key) !== e) return;
    try {
      e.watcher = fs.watch(e.root, { recursive: true, persistent: false }, (_event, name) => {
        if (ignore && name && ignore(String(name))) return;
        fire(key, e);
      });
      e.watcher.on("error", () => restart(key, e));
    } catch {
      e.watcher = null;
      e.retry = setTimeout(() => {
        // The folder appeared: whatever is in it is news.
        if (fs.existsSync(e.root)) fire(key, e);
        start(key, e);
      }, RETRY_MS);
      e.retry.unref();
    }
  }

  function restart(key: string, e: Entry) {
    e.watcher?.close();
    e.watcher = null;
    fire(key, e);
    if (!e.retry) {
      e.retry = setTimeout(() => start(key, e), RETRY_MS);
      e.retry.unref();
    }
  }

  function stop(e: Entry) {
    e.watcher?.close();
    if (e.timer) clearTimeout(e.timer);
    if (e.retry) clearTimeout(e.retry);
  }

  return {
    acquire(key: string, root: string): () => void {
      let e = entries.get(key);
      if (e && e.root !== root) {
        // The folder setting changed: watch the new one.
        stop(e);
        entries.delete(key);
        e = undefined;
      }
      if (!e) {
        e = { refs: 0, root, watcher: null, timer: null, retry: null };
        entries.set(key, e);
        start(key, e);
      }
      e.refs++;
      const entry = e;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (--entry.refs === 0 && entries.get(key) === entry) {
          stop(entry);
          entries.delete(key);
        }
      };
    },
    closeAll() {
      for (const e of entries.values()) stop(e);
      entries.clear();
    },
  };
}
