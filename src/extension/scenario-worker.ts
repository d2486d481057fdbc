/**
 * Worker thread that runs one scenario (bundled to dist/scenario-worker.js). Running off
 * the extension host's thread keeps the editor responsive during a long scenario, and
 * makes cancelling a Test Explorer run real: the worker is terminated mid-run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runScenarioFile, runTraceFile, type ScenarioJob } from './scenario-files';

const job = workerData as ScenarioJob;
parentPort?.postMessage(job.trace ? runTraceFile(job.file, job.moreTraces) : runScenarioFile(job.file, job.text, job.maxSteps));
