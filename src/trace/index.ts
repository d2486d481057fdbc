/** The trace layer: QEMU trace lines → typed events → model operations and checks. Pure (no vscode, no Node API). */
export * from './events';
export * from './reader';
export * from './replay';
export * from './core';
export * from './types';
