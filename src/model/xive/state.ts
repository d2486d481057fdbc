/** XIVE native device state: plain data only (structuredClone-able for step-back). */
export interface XiveDeviceState {
  kind: 'xive';
}
export interface VpState {
  vpId: number;
}
