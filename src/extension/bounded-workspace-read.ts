/**
 * A workspace scenario read through VS Code's file system with the limits every other
 * door keeps (src/edge/read-text-file): only a regular file, at most MAX_SCENARIO_BYTES,
 * valid UTF-8. A device or FIFO named `x.irq` in a workspace must not hang or flood the
 * extension host. vscode-free (the file system is passed in) so it is unit-tested.
 */
import { formatByteSize, MAX_SCENARIO_BYTES } from '../edge/read-text-file';

export interface WorkspaceFileSystem<U> {
  stat(uri: U): Thenable<{ readonly type: number; readonly size: number }>;
  readFile(uri: U): Thenable<Uint8Array>;
}

function overLimit(bytes: number): Error {
  return new Error(`${formatByteSize(bytes)} is over the ${formatByteSize(MAX_SCENARIO_BYTES)} limit for a scenario`);
}

/** Rejects with a sentence (not a regular file, over the limit, not UTF-8); resolves to the text. */
export async function readBoundedScenario<U>(fs: WorkspaceFileSystem<U>, uri: U, fileTypeFile: number, maxBytes = MAX_SCENARIO_BYTES): Promise<string> {
  const stat = await fs.stat(uri);
  if ((stat.type & fileTypeFile) === 0) throw new Error('not a regular file (a directory, device or FIFO is not read)');
  if (stat.size > maxBytes) throw overLimit(stat.size);
  const bytes = await fs.readFile(uri);
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes) throw overLimit(bytes.length);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error('not valid UTF-8 text');
  }
}
