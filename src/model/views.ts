/** Dispatches read-only inspection to the device family that owns the state. */
import { DeviceView, PresenterView, QueueView, SourceView } from './inspect';
import { VmState } from './state';
import * as xics from './xics';
import * as xive from './xive';

export function inspectDevice(vm: VmState): DeviceView | null {
  const dev = vm.device;
  if (!dev) return null;
  return dev.kind === 'xive' ? xive.inspectDevice(vm, dev) : xics.inspectDevice(vm, dev);
}

/** Existing sources in ascending order, paged: `start` is an index among existing sources. */
export function inspectSources(vm: VmState, start = 0, count = Number.MAX_SAFE_INTEGER): SourceView[] {
  const dev = vm.device;
  if (!dev) return [];
  return dev.kind === 'xive' ? xive.inspectSources(vm, dev, start, count) : xics.inspectSources(vm, dev, start, count);
}

export function inspectQueues(vm: VmState): QueueView[] {
  const dev = vm.device;
  return dev?.kind === 'xive' ? xive.inspectQueues(vm, dev) : [];
}

export function inspectPresenters(vm: VmState): PresenterView[] {
  const dev = vm.device;
  if (!dev) return [];
  return dev.kind === 'xive' ? xive.inspectPresenters(vm, dev) : xics.inspectPresenters(vm, dev);
}

/** Guest memory bytes (big-endian words as the guest sees them); unbacked pages read as zero. */
export function readGuestMemory(vm: VmState, address: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const a = address + BigInt(i);
    const page = vm.memory.pages.get(Number(a >> 16n));
    if (!page) continue;
    const off = Number(a & 0xffffn);
    const word = page[off >> 2];
    out[i] = (word >>> (8 * (3 - (off & 3)))) & 0xff;
  }
  return out;
}
