/** package.json's launch schema, the IrqLaunchArguments type and the validator agree, both ways. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { LAUNCH_ARGUMENT_NAMES, validateLaunchArguments } from '../../src/debug/launch-arguments';

const ROOT = process.cwd();

interface SchemaProperty { type: string; enum?: string[]; default?: unknown; description?: string }

function launchSchema(): { required: string[]; properties: Record<string, SchemaProperty> } {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const dbg = pkg.contributes.debuggers.find((d: { type: string }) => d.type === 'irq');
  assert.ok(dbg, 'package.json contributes a debugger of type irq');
  assert.deepEqual(dbg.languages, ['irq', 'qemu-trace']);
  assert.deepEqual(pkg.contributes.breakpoints, [{ language: 'irq' }, { language: 'qemu-trace' }]);
  return dbg.configurationAttributes.launch;
}

/** Property names and TypeScript types declared in IrqLaunchArguments, read with the compiler API. */
function declaredProperties(): Map<string, string> {
  const file = join(ROOT, 'src', 'debug', 'launch-arguments.ts');
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out = new Map<string, string>();
  sf.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'IrqLaunchArguments') {
      for (const m of node.members) {
        if (ts.isPropertySignature(m) && m.type) out.set(m.name.getText(sf), m.type.getText(sf));
      }
    }
  });
  // Inherited from DebugProtocol.LaunchRequestArguments and documented for users.
  out.set('noDebug', 'boolean');
  return out;
}

const SCHEMA_TYPE: Record<string, string> = { string: 'string', 'string[]': 'array', boolean: 'boolean', number: 'integer', BitNumbering: 'string' };

test('every IrqLaunchArguments property is in the schema with a matching type, and nothing else is', () => {
  const declared = declaredProperties();
  const schema = launchSchema();
  assert.deepEqual([...declared.keys()].sort(), Object.keys(schema.properties).sort());
  assert.deepEqual([...LAUNCH_ARGUMENT_NAMES].sort(), [...declared.keys()].sort());
  for (const [name, tsType] of declared) {
    assert.equal(schema.properties[name].type, SCHEMA_TYPE[tsType], `${name}: ${tsType}`);
    assert.ok(schema.properties[name].description, `${name} is documented`);
  }
  assert.deepEqual(schema.required, ['program']);
  assert.deepEqual(schema.properties.bitNumbering.enum, ['lsb0', 'msb0']);
});

test('the schema defaults are accepted by the validator', () => {
  const schema = launchSchema();
  const defaults: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(schema.properties)) defaults[k] = p.default;
  defaults.program = '/tmp/x.irq';
  const v = validateLaunchArguments(defaults);
  assert.equal(typeof v, 'object', String(v));
});

test('initial configurations and snippets launch the open file', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const dbg = pkg.contributes.debuggers[0];
  assert.equal(dbg.initialConfigurations[0].type, 'irq');
  assert.equal(dbg.initialConfigurations[0].program, '${file}');
  assert.equal(dbg.configurationSnippets[0].body.type, 'irq');
  assert.equal(typeof validateLaunchArguments(dbg.initialConfigurations[0]), 'object');
});

test('validator: wrong types are messages, defaults fill in', () => {
  assert.match(String(validateLaunchArguments({ program: 'a.irq', stopOnEntry: 'yes' })), /stopOnEntry/);
  assert.match(String(validateLaunchArguments({ program: 'a.irq', maxSteps: 1.5 })), /maxSteps/);
  assert.match(String(validateLaunchArguments(42)), /object/);
  assert.match(String(validateLaunchArguments({ program: 'trace.log', traces: ['a', 3] })), /traces/);
  assert.deepEqual(validateLaunchArguments({ program: 'a.irq' }), {
    program: 'a.irq', traces: [], stopOnEntry: false, maxSteps: 1_000_000, noDebug: false, hex: true, bitNumbering: 'lsb0', trace: false,
  });
});
