"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { IconX } from "../ui/icons";
import { cn } from "../ui/cn";
import { IconImage, Spinner } from "./icons";

export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
const MAX_IMAGES = 10;

export interface Attachment {
  key: string;
  name: string;
  url: string;
  /** The bridge's upload id, once uploaded. */
  id: string | null;
  error: string | null;
}

async function upload(file: File): Promise<string> {
  let res: Response;
  try {
    res = await fetch("/api/uploads", { method: "POST", headers: { "content-type": file.type }, body: file, credentials: "same-origin" });
  } catch {
    throw new Error("Can't reach Maestro to upload the image. Check the connection, then attach it again.");
  }
  const body = (await res.json().catch(() => null)) as { id?: string; error?: { message?: string } } | null;
  if (!res.ok || !body?.id) {
    if (body?.error?.message) throw new Error(body.error.message);
    throw new Error(res.status === 413 ? "That image is too large (10 MB at most)." : `The upload failed (${res.status}).`);
  }
  return body.id;
}

/** Images attached to the next message: uploaded at once, previewed from object URLs. */
export function useAttachments() {
  const [items, setItems] = useState<Attachment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  // Object URLs are freed when the tab goes away.
  useEffect(() => () => itemsRef.current.forEach((a) => URL.revokeObjectURL(a.url)), []);

  const add = useCallback((files: File[]) => {
    setError(null);
    const images = files.filter((f) => IMAGE_TYPES.includes(f.type));
    if (images.length < files.length) setError("Only PNG, JPEG, GIF and WebP images can be attached.");
    const room = MAX_IMAGES - itemsRef.current.length;
    if (images.length > room) setError(`At most ${MAX_IMAGES} images per message.`);
    for (const file of images.slice(0, Math.max(0, room))) {
      const key = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const item: Attachment = { key, name: file.name || "Pasted image", url: URL.createObjectURL(file), id: null, error: null };
      setItems((old) => [...old, item]);
      upload(file).then(
        (id) => setItems((old) => old.map((a) => (a.key === key ? { ...a, id } : a))),
        (err: unknown) =>
          setItems((old) =>
            old.map((a) => (a.key === key ? { ...a, error: err instanceof Error ? err.message : "The upload failed." } : a)),
          ),
      );
    }
  }, []);

  const remove = useCallback((key: string) => {
    setItems((old) => {
      const gone = old.find((a) => a.key === key);
      if (gone) URL.revokeObjectURL(gone.url);
      return old.filter((a) => a.key !== key);
    });
    setError(null);
  }, []);

  const clear = useCallback(() => {
    setItems((old) => {
      old.forEach((a) => URL.revokeObjectURL(a.url));
      return [];
    });
    setError(null);
  }, []);

  const uploading = items.some((a) => !a.id && !a.error);
  const failed = items.some((a) => a.error);
  const ids = items.flatMap((a) => (a.id ? [a.id] : []));
  return { items, error, add, remove, clear, uploading, failed, ids };
}

export type Attachments = ReturnType<typeof useAttachments>;

/** Thumbnails above the message box, each with its remove button; upload errors inline. */
export function AttachmentStrip({ attachments, note }: { attachments: Attachments; note?: string | null }) {
  const { items, error, remove } = attachments;
  if (items.length === 0 && !error && !note) return null;
  return (
    <div className="mb-2">
      {items.length > 0 && (
        <ul aria-label="Attached images" className="flex gap-3 overflow-x-auto pt-2 pr-2 pb-1">
          {items.map((a, i) => (
            <li key={a.key} className="relative shrink-0">
              <div
                className={cn("relative size-16 overflow-hidden rounded-xl border bg-surface-2", a.error ? "border-bad" : "border-border")}
              >
                {/* eslint-disable-next-line @next/next/no-img-element -- a blob: preview of a local file; next/image has nothing to optimise */}
                <img src={a.url} alt={`Image ${i + 1}: ${a.name}`} className={cn("size-full object-cover", !a.id && "opacity-60")} />
                {!a.id && !a.error && (
                  <span className="absolute inset-0 flex items-center justify-center">
                    <Spinner className="size-5" />
                    <span className="sr-only">Uploading…</span>
                  </span>
                )}
              </div>
              <button
                type="button"
                aria-label={`Remove image ${i + 1}`}
                title="Remove"
                onClick={() => remove(a.key)}
                className="absolute -top-2 -right-2 inline-flex size-11 items-center justify-center"
              >
                <span className="inline-flex size-6 items-center justify-center rounded-full border border-border bg-surface text-text shadow-sm">
                  <IconX className="size-3.5" />
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {items.map((a, i) =>
        a.error ? (
          <p key={a.key} role="alert" className="mt-1 text-sm text-bad">
            Image {i + 1}: {a.error}
          </p>
        ) : null,
      )}
      {error && (
        <p role="alert" className="mt-1 text-sm text-bad">
          {error}
        </p>
      )}
      {note && (
        <p role="status" className="mt-1 text-sm text-muted">
          {note}
        </p>
      )}
    </div>
  );
}

/** The 44 px "Attach image" button and its hidden file input. */
export function AttachButton({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={inputRef}
        type="file"
        accept={IMAGE_TYPES.join(",")}
        multiple
        hidden
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = "";
          if (files.length) onFiles(files);
        }}
      />
      <button
        type="button"
        aria-label="Attach image"
        title="Attach image"
        disabled={disabled}
        onClick={() => inputRef.current?.click()}
        className="inline-flex size-11 shrink-0 items-center justify-center rounded-xl text-muted transition-colors hover:bg-surface-2 hover:text-text disabled:opacity-40"
      >
        <IconImage className="size-5" />
      </button>
    </>
  );
}

/** Image files from a paste (screenshots), if any. */
export function imagesFromClipboard(data: DataTransfer | null): File[] {
  if (!data) return [];
  return Array.from(data.items)
    .filter((it) => it.kind === "file" && IMAGE_TYPES.includes(it.type))
    .map((it) => it.getAsFile())
    .filter((f): f is File => !!f);
}
