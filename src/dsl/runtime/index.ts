/** The `.irq` interpreter: one statement per step, exact step back, register expressions. */
export * from './types';
export { ScenarioRuntime, DEFAULT_MAX_STEPS, CONSOLE_URI } from './scenario-runtime';
export { runScenarioText, checkScenarioText } from './run-scenario';
export type { ScenarioRunSummary } from './run-scenario';
export { evaluateExpressionText } from './expression-text';
export type { ExpressionResult } from './expression-text';
export { runScenarioStreamed, blocksRun, MAX_KEPT_RESULTS, STREAM_BATCH_STATEMENTS } from './stream-run';
export type { RunSink, StreamedRun, StreamStatistics } from './stream-run';
