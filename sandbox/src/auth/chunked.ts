// aws-chunked bodies (x-amz-content-sha256: STREAMING-…): `<hex size>[;chunk-signature=<sig>]\r\n
// <data>\r\n` repeated, ending with a zero-size chunk and optional trailing headers (checksums).

export interface DecodedChunks {
  body: Buffer;
  /** Chunk signatures in order (absent for unsigned streaming). */
  signatures: (string | undefined)[];
  chunks: Buffer[];
  trailers: Map<string, string>;
}

export class ChunkFormatError extends Error {}

export function decodeAwsChunked(raw: Buffer): DecodedChunks {
  const chunks: Buffer[] = [];
  const signatures: (string | undefined)[] = [];
  const trailers = new Map<string, string>();
  let pos = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', pos);
    if (lineEnd < 0) throw new ChunkFormatError('aws-chunked body ends inside a chunk header');
    const header = raw.subarray(pos, lineEnd).toString('latin1');
    const [sizeText, ...exts] = header.split(';');
    const size = parseInt(sizeText ?? '', 16);
    if (!Number.isFinite(size) || size < 0) throw new ChunkFormatError(`bad aws-chunked size '${sizeText}'`);
    const sig = exts.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
    pos = lineEnd + 2;
    const data = raw.subarray(pos, pos + size);
    if (data.length !== size) throw new ChunkFormatError('aws-chunked body is shorter than its chunk sizes');
    chunks.push(data);
    signatures.push(sig);
    pos += size;
    if (size === 0) break;
    if (raw.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw new ChunkFormatError('aws-chunked chunk is not followed by CRLF');
    pos += 2;
  }
  // Trailing headers, one per line, until an empty line or the end.
  const rest = raw.subarray(pos).toString('latin1');
  for (const line of rest.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { body: Buffer.concat(chunks), signatures, chunks, trailers };
}
