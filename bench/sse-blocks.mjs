// Splits an SSE byte stream into its blocks (the text between blank lines), chunk by chunk: the
// bench clients' one parser of the wire.

/** Returns `take(chunk)`: the blocks completed by this chunk of the stream, in order. */
export function sseBlocks() {
  const decoder = new TextDecoder();
  let buf = "";
  return (/** @type {Uint8Array} */ chunk) => {
    buf += decoder.decode(chunk, { stream: true });
    const blocks = [];
    let split;
    while ((split = buf.indexOf("\n\n")) >= 0) {
      blocks.push(buf.slice(0, split));
      buf = buf.slice(split + 2);
    }
    return blocks;
  };
}
