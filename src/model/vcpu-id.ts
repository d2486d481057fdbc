/**
 * kvmppc_pack_vcpu_id (asm/kvm_book3s.h) with emul_smt_mode 1, the KVM
 * default: a server below KVM_MAX_VCPUS is its own packed id; a larger one
 * falls in block ≥ 8, which the kernel refuses with a warning and packs to 0.
 * XIVE VP ids are vp_base + this value.
 */
export function packVcpuId(server: number, maxVcpus: number): number {
  return server < maxVcpus ? server : 0;
}
