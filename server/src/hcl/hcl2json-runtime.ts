// HashiCorp's HCL parser (Go compiled to WASM, shipped by @cdktf/hcl2json), run by Tidemark itself
// instead of through the package's module-level singleton: when one input kills the Go runtime
// (a fatal error exits the program) or overflows the JS stack under it, the calls in flight fail
// with a clear error and the next call starts a fresh runtime, instead of every later parse hanging.
import { promises as fs } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { assetPath } from '../assets';

/** The Go runtime died on this input; the next parse starts a new one. */
export class HclRuntimeCrash extends Error {}

/** The parts of wasm_exec.js's Go class this module drives. */
interface GoInstance {
  importObject: WebAssembly.Imports;
  exit: (code: number) => void;
  run(instance: WebAssembly.Instance): Promise<void>;
  _resume(): void;
  _scheduledTimeouts: Map<number, NodeJS.Timeout>;
}

type ParseFunction = (filename: string, contents: string, callback: (error: string | null, json?: string) => void) => void;

interface Runtime {
  parse: ParseFunction;
  /** Calls waiting for Go's answer: told when the runtime dies, so none of them waits forever. */
  waiting: Set<(reason: string) => void>;
  dead: boolean;
  /** Marks the runtime dead and stops its timers, so nothing of it runs again. */
  die(reason: string): void;
  /** The start of what Go wrote to stderr (its crash report), for the error message. */
  crashOutput: string;
}

const GLOBAL_ROOT = '__parse_terraform_config_wasm__';
let compiled: Promise<WebAssembly.Module> | undefined;
let current: Runtime | undefined;

function goClass(): new () => GoInstance {
  // Defines globalThis.Go (the Go project's wasm_exec.js, as the package ships it).
  require('@cdktf/hcl2json/wasm/bridge_wasm_exec.js');
  return (globalThis as unknown as { Go: new () => GoInstance }).Go;
}

async function compile(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const file = assetPath('main.wasm.gz', '@cdktf/hcl2json/main.wasm.gz');
    return WebAssembly.compile(gunzipSync(await fs.readFile(file)));
  })();
  return compiled;
}

async function start(): Promise<Runtime> {
  const Go = goClass();
  const go = new Go();
  const runtime: Runtime = {
    parse: () => undefined,
    waiting: new Set(),
    dead: false,
    crashOutput: '',
    die(reason) {
      if (runtime.dead) return;
      runtime.dead = true;
      // Timers the dead program scheduled would resume it (and wasm_exec retries forever).
      for (const timer of go._scheduledTimeouts.values()) clearTimeout(timer);
      go._scheduledTimeouts.clear();
      for (const fail of runtime.waiting) fail(reason);
      runtime.waiting.clear();
    },
  };
  // Go writes its crash report to fd 2; keep its start for the error instead of flooding stderr.
  const imports = Object.values(go.importObject).find((m) => m && typeof m === 'object' && 'runtime.wasmWrite' in m) as Record<string, unknown> | undefined;
  const decoder = new TextDecoder();
  if (imports) {
    imports['runtime.wasmWrite'] = (sp: number) => {
      const memory = (instance.exports.mem as WebAssembly.Memory).buffer;
      const view = new DataView(memory);
      const p = Number(view.getBigInt64((sp >>> 0) + 16, true));
      const n = view.getInt32((sp >>> 0) + 24, true);
      if (runtime.crashOutput.length < 500) runtime.crashOutput += decoder.decode(new Uint8Array(memory, p, n));
    };
  }
  go.exit = () => undefined; // the default prints "exit code: 2" on stderr
  const resume = go._resume.bind(go);
  // Every entry into Go (a call, a timer) goes through _resume: once dead, nothing enters again,
  // and an exception out of Go (a JS stack overflow under it) kills this runtime, not the process.
  go._resume = () => {
    if (runtime.dead) return;
    try {
      resume();
    } catch (error) {
      runtime.die(error instanceof Error ? error.message : String(error));
      throw error;
    }
  };
  const instance = await WebAssembly.instantiate(await compile(), go.importObject);
  const root: Record<string, unknown> = {};
  (globalThis as Record<string, unknown>)[GLOBAL_ROOT] = root;
  // main() registers `parse` on the root synchronously, then blocks on a channel until exit.
  void go.run(instance).then(() => runtime.die('the runtime exited'), (error: unknown) => runtime.die(String(error)));
  if (typeof root.parse !== 'function') throw new Error('HCL parser runtime did not start');
  runtime.parse = root.parse as ParseFunction;
  return runtime;
}

let starting: Promise<Runtime> | undefined;

async function runtime(): Promise<Runtime> {
  if (current && !current.dead) return current;
  starting ??= start().then(
    (r) => { current = r; starting = undefined; return r; },
    (error: unknown) => { starting = undefined; throw error; },
  );
  return starting;
}

function crashMessage(r: Runtime, reason: string): string {
  const reported = r.crashOutput.split('\n').find((l) => l.trim())?.trim();
  return `HCL parser crashed on this input (${reported ?? reason})`;
}

/**
 * Parses HCL text to hcl2json's JSON. Rejects with the parser's own message for invalid HCL, and
 * with HclRuntimeCrash when the runtime died (it is replaced before the next call).
 */
export async function parseHclToJson(filename: string, contents: string): Promise<Record<string, unknown>> {
  const r = await runtime();
  const json = await new Promise<string>((resolve, reject) => {
    const fail = (reason: string) => reject(new HclRuntimeCrash(crashMessage(r, reason)));
    r.waiting.add(fail);
    const callback = (error: string | null, result?: string) => {
      r.waiting.delete(fail);
      if (error) reject(new Error(error));
      else resolve(result ?? '{}');
    };
    try {
      r.parse(filename, contents, callback);
    } catch (error) {
      r.die(error instanceof Error ? error.message : String(error));
    }
  });
  return JSON.parse(json) as Record<string, unknown>;
}
