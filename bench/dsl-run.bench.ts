/**
 * The interpreter's speed: statements per second on a 1,000,000-step scenario
 * (a repeat loop of ESB triggers, queue scans, ACKs and EOIs), and the latency
 * of one step back deep into a 100,000-step run (snapshots + re-execution).
 */
import { ScenarioRuntime, runScenarioText } from '../src/dsl/runtime';
import { xiveDeliverySetup } from '../test/dsl/scenarios';
import { median, Report, timeMs } from './run';

/** 7 set-up statements + 1 for the repeat + 5 per pass: passes chosen so the run takes `steps` steps. */
function loopScenario(passes: number): string {
  return `scenario "bench"
${xiveDeliverySetup([1])}repeat ${passes} {
  esb 0x1300 store 0x000
  eq server 1 priority 6
  tima vcpu 1 load16 0x810
  esb 0x1300 load 0x000
  tima vcpu 1 store8 0x11 0xff
}
`;
}

const noFiles = { readFile: (): string | undefined => undefined };

export default async function bench(report: Report): Promise<void> {
  const million = loopScenario(200_000); // 7 + 1 + 200,000 × 5 ≈ 1,000,008 steps
  const rate = await median(3, () => {
    let steps = 0;
    const ms = timeMs(() => {
      const r = runScenarioText('bench.irq', million, { ...noFiles, maxSteps: 2_000_000 });
      if (r.stepLimitHit || r.failed > 0) throw new Error('bench scenario did not run cleanly');
      steps = 1_000_008;
    });
    return steps / (ms / 1000);
  });
  report('dsl-run-steps', rate, 'steps/s');

  // The same loop as the debugger runs it: snapshots for step back on (spacing chosen by their cost).
  const debugRate = await median(3, () => {
    const { runtime } = ScenarioRuntime.create('bench.irq', million, { ...noFiles, maxSteps: 2_000_000 });
    const ms = timeMs(() => runtime.runToEnd());
    return runtime.stepCount / (ms / 1000);
  });
  report('dsl-run-steps-with-snapshots', debugRate, 'steps/s');

  // Step back from the end of a 100,000-step run, 25 times in a row (the debugger's "step back" key held down).
  const { runtime } = ScenarioRuntime.create('bench.irq', loopScenario(20_000), { ...noFiles, maxSteps: 2_000_000 });
  runtime.runToEnd();
  const latencies: number[] = [];
  for (let i = 0; i < 25; i++) latencies.push(timeMs(() => runtime.stepBack()));
  latencies.sort((a, b) => a - b);
  report('dsl-step-back-100k-p50', latencies[latencies.length >> 1], 'ms');
  report('dsl-step-back-100k-max', latencies[latencies.length - 1], 'ms');
  const jump = await median(5, () => timeMs(() => {
    runtime.restoreTo(50_000);
    runtime.restoreTo(100_000);
  }) / 2);
  report('dsl-restore-to-100k', jump, 'ms');
}
