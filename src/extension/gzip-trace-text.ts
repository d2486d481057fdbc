/**
 * The text of a gzip-compressed QEMU trace (`log-<tid>.txt.gz`, `trace.log.gz`) for the
 * editor: trace-documents.ts serves it as a read-only document wherever the extension
 * links to such a file (Test Explorer items, failure locations), so it opens as a trace
 * instead of binary. Bounded like the debugger's read (MAX_TRACE_BYTES, compressed and
 * decompressed); anything it cannot show becomes a one-line message as the document's
 * text. No `vscode` import: the file system is passed in, so it is unit-tested.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { MAX_TRACE_BYTES } from '../debug/trace-launch';
import { escapeControlBytes } from '../edge/escape-text';
import { formatByteSize } from '../edge/read-text-file';
import type { WorkspaceFileSystem } from './bounded-workspace-read';

/** The uri scheme of decompressed trace documents (the path stays the `.gz` file's). */
export const TRACE_DOCUMENT_SCHEME = 'irqlab-trace';

const gunzipAsync = promisify(gunzip);

/** Whether a path names a gzip-compressed file (by its name; the bytes are checked when read). */
export function isGzipPath(path: string): boolean {
  return /\.gz$/i.test(path);
}

/** Whether the bytes start with the gzip magic number (1f 8b). */
export function isGzipData(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** One line naming the file and the cause; the name is escaped (it comes from the workspace). */
function problem(name: string, cause: string): string {
  return `IRQ Lab: ${escapeControlBytes(name)} ${cause}`;
}

/** The document text in Restricted Mode: nothing is read until the workspace is trusted. */
export function untrustedTraceMessage(name: string): string {
  return problem(name, 'is shown decompressed only in a trusted workspace (trust the workspace to read it)');
}

function overLimit(name: string, maxBytes: number): string {
  return problem(name, `decompresses to more than ${formatByteSize(maxBytes)}: the editor shows at most that much trace text (irqlab replay streams any size)`);
}

function gunzipFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'Z_BUF_ERROR') return 'truncated gzip data';
  if (code === 'Z_DATA_ERROR') return `corrupt gzip data (${e instanceof Error ? e.message : String(e)})`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * The decompressed text of `bytes` (one character per byte, as the debugger reads traces,
 * so lines and columns agree), or a one-line message when the bytes are not gzip, are
 * corrupt or truncated, or decompress to more than `maxBytes`.
 */
export async function gunzipTraceText(name: string, bytes: Uint8Array, maxBytes = MAX_TRACE_BYTES): Promise<string> {
  if (!isGzipData(bytes)) return problem(name, 'is not gzip data (it does not start with 1f 8b): open the file itself to read it as text');
  let text: Buffer;
  try {
    text = await gunzipAsync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return overLimit(name, maxBytes);
    return problem(name, `is not a readable gzip file: ${escapeControlBytes(gunzipFailure(e))}`);
  }
  try {
    return text.toString('latin1');
  } catch {
    // Just under the limit can still be past the longest string the JavaScript engine makes.
    return problem(name, `decompresses to ${formatByteSize(text.length)}, more than the editor can hold as one text (irqlab replay streams any size)`);
  }
}

/**
 * Reads `uri` through the workspace file system (only a regular file, at most `maxBytes`
 * compressed) and decompresses it: the trace text, or a one-line message saying why not.
 * Never rejects.
 */
export async function readGzipTraceText<U>(fs: WorkspaceFileSystem<U>, uri: U, name: string, fileTypeFile: number, maxBytes = MAX_TRACE_BYTES): Promise<string> {
  let bytes: Uint8Array;
  try {
    const stat = await fs.stat(uri);
    if ((stat.type & fileTypeFile) === 0) return problem(name, 'is not a regular file (a directory, device or FIFO is not read)');
    if (stat.size > maxBytes) return problem(name, `is ${formatByteSize(stat.size)}: the editor shows at most ${formatByteSize(maxBytes)} of trace text (irqlab replay streams any size)`);
    bytes = await fs.readFile(uri);
  } catch (e) {
    return problem(name, `cannot be read: ${escapeControlBytes(e instanceof Error ? e.message : String(e))}`);
  }
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes) return problem(name, `is ${formatByteSize(bytes.length)}: the editor shows at most ${formatByteSize(maxBytes)} of trace text (irqlab replay streams any size)`);
  return gunzipTraceText(name, bytes, maxBytes);
}
