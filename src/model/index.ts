/** The controller model's public surface. No `vscode`, no Node-only API. */
export * from './result';
export * from './state';
export * from './attr';
export * from './vm';
export * from './hcalls';
export * from './inspect';
export * from './layouts';
export { inspectDevice, inspectSources, inspectQueues, inspectPresenters, readGuestMemory } from './views';
