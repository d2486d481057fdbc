/**
 * `readMemory` over guest RAM. A memory reference is the guest real address
 * in hex (`0x1fc230000`), as event-queue nodes hand them out.
 */
import type { VmState } from '../model/state';
import { readGuestMemory } from '../model/views';

/** One request reads at most this much (VS Code's memory view asks for a few KiB at a time). */
export const MAX_READ_BYTES = 1 << 20;

export type MemoryRead =
  | { readonly ok: true; readonly address: string; readonly data: string; readonly unreadableBytes: number }
  | { readonly ok: false; readonly error: string };

export function readMemory(vm: VmState, memoryReference: unknown, offset: unknown, count: unknown): MemoryRead {
  if (typeof memoryReference !== 'string' || !/^0x[0-9a-f]+$/i.test(memoryReference)) {
    return { ok: false, error: `'${String(memoryReference)}' is not a memory reference (a guest address like 0x10000)` };
  }
  const off = offset === undefined ? 0 : offset;
  if (typeof off !== 'number' || !Number.isInteger(off)) return { ok: false, error: "'offset' must be an integer" };
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return { ok: false, error: "'count' must be a non-negative integer" };
  const start = BigInt(memoryReference) + BigInt(off);
  if (start < 0n) return { ok: false, error: `address ${memoryReference} + ${off} is below 0` };
  const wanted = Math.min(count, MAX_READ_BYTES);
  const ram = vm.memory.ramSize;
  const readable = start >= ram ? 0 : Number(ram - start < BigInt(wanted) ? ram - start : BigInt(wanted));
  const bytes = readGuestMemory(vm, start, readable);
  return {
    ok: true,
    address: '0x' + start.toString(16),
    data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    unreadableBytes: wanted - readable,
  };
}
