// Fault knobs are bounded and finite wherever they are set (scenario, --fault, POST /_sandbox/faults):
// a value Node's timers would silently treat as "no latency" must be refused, naming the knob.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFaultFlag, decideDelivery, knobProblem, type FaultConfig } from '../../sandbox/src/faults';
import { parseScenario } from '../../sandbox/src/scenario';
import { admin, startDemo } from './helpers';

test('knob values must be finite, non-negative and within each knob\'s range', () => {
  assert.match(knobProblem('latencyMs', 1e300) ?? '', /latencyMs must be at most 600000 \(10 minutes\) \(got 1e\+300\)/);
  assert.match(knobProblem('latencyMs', Infinity) ?? '', /latencyMs must be a finite number/);
  assert.match(knobProblem('requestsPerSecond', 1e12) ?? '', /requestsPerSecond must be at most 1000000/);
  assert.match(knobProblem('errorRate', 1.5) ?? '', /errorRate is a probability between 0 and 1/);
  assert.match(knobProblem('throttleRate', -0.1) ?? '', /throttleRate must not be negative/);
  assert.match(knobProblem('latencyMs', '50') ?? '', /latencyMs must be a finite number \(got "50"\)/);
  assert.equal(knobProblem('latencyMs', 600_000), undefined);
  assert.equal(knobProblem('errorRate', 1), undefined);
  assert.match(knobProblem('deliveryDropRate', 2) ?? '', /deliveryDropRate is a probability between 0 and 1/);
  assert.match(knobProblem('deliveryDelayMs', 900_001) ?? '', /deliveryDelayMs must be at most 900000 \(15 minutes/);
  assert.equal(knobProblem('deliveryDuplicateRate', 0.5), undefined);
});

test('a delivery is lost, duplicated or delayed as the knobs say', () => {
  const draws = (...values: number[]) => () => values.shift() ?? 0;
  assert.deepEqual(decideDelivery({}, draws()), { copies: 1, delayMs: 0 });
  assert.deepEqual(decideDelivery({ deliveryDropRate: 0.5 }, draws(0.4)), { copies: 0, delayMs: 0 });
  assert.deepEqual(decideDelivery({ deliveryDropRate: 0.5, deliveryDuplicateRate: 0.5 }, draws(0.6, 0.4)), { copies: 2, delayMs: 0 });
  assert.deepEqual(decideDelivery({ deliveryDuplicateRate: 0.5, deliveryDelayMs: 1500 }, draws(0.6)), { copies: 1, delayMs: 1500 });
  assert.deepEqual(applyFaultFlag({}, 'events.deliveryDropRate=0.1'), { events: { deliveryDropRate: 0.1 } });
});

test('--fault refuses out-of-range and empty values, naming the flag', () => {
  const config: FaultConfig = {};
  assert.throws(() => applyFaultFlag(config, 'latencyMs=1e300'), /--fault latencyMs=1e300: latencyMs must be at most 600000/);
  assert.throws(() => applyFaultFlag(config, 'ec2.latencyMs='), /--fault ec2.latencyMs=: latencyMs must be a finite number/);
  assert.throws(() => applyFaultFlag(config, 's3.requestsPerSecond=Infinity'), /requestsPerSecond must be a finite number/);
  assert.deepEqual(applyFaultFlag(config, 'ec2.latencyMs=25'), { ec2: { latencyMs: 25 } });
});

test('a scenario with an out-of-range knob is refused naming the file and the knob', () => {
  assert.throws(() => parseScenario('account: "123456789012"\nregion: us-east-1\nfaults:\n  default:\n    latencyMs: 1e300\n', 'faulty.yaml'), (e: Error) => {
    assert.match(e.message, /faulty\.yaml/);
    assert.match(e.message, /faults\.default\.latencyMs/);
    assert.match(e.message, /latencyMs must be at most 600000/);
    return true;
  });
});

test('POST /_sandbox/faults refuses an out-of-range knob with 400 and keeps the old knobs', async () => {
  const { sandbox } = await startDemo({ faults: { ec2: { latencyMs: 0 } } });
  try {
    const bad = await admin(sandbox, 'POST', 'faults', { default: { latencyMs: 1e300 } });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.json), /default\.latencyMs must be at most 600000/);
    assert.deepEqual((await admin(sandbox, 'GET', 'faults')).json, { ec2: { latencyMs: 0 } });
  } finally {
    await sandbox.stop();
  }
});
