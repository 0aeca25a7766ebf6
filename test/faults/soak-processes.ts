/**
 * `nuqta serve` and `nuqta work` as child processes of a soak run, on the
 * run's environment. Each keeps its last log lines for a failure message;
 * `stop` ends one (SIGTERM, then SIGKILL), `kill` is the fault.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface NuqtaProcess {
  role: 'serve' | 'work';
  pid: number;
  /** The last log lines (pino JSON). */
  log: string[];
  exited: Promise<void>;
  alive(): boolean;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const KEPT_LINES = 50;
/** Every process any run started, so an exiting soak leaves none behind. */
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

export function startNuqta(role: 'serve' | 'work', env: Record<string, string>): NuqtaProcess {
  // The TypeScript sources, not bin/nuqta.js: that one runs dist/ when it exists, which may be older than src/.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', role], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`nuqta ${role} did not start`);
  started.add(child);
  const log: string[] = [];
  const keep = (chunk: Buffer): void => {
    log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    log.splice(0, Math.max(0, log.length - KEPT_LINES));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    started.delete(child);
    resolve();
  }));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    role,
    pid: child.pid,
    log,
    exited,
    alive,
    async kill() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
