/**
 * `nuqta` as child processes on a test's database and queue prefix: worker
 * processes to kill or freeze, and commands such as `nuqta verify`. Also
 * reads of what the partition consumers hold, straight from Redis: who
 * holds each partition's lease and which jobs each partition has in hand.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { NuqtaConfig } from '../../../src/config/env.js';
import { ingestQueueName, INGEST_PARTITIONS } from '../../../src/ingestion/ingest-queue.js';
import { cliEnv } from '../../helpers/nuqta-cli.js';
import type { TestNuqta } from '../../helpers/test-nuqta.js';

export interface WorkerProcess {
  process: ChildProcess;
  pid: number;
  /** Its log lines (pino JSON, LOG_LEVEL warn). */
  log: string[];
  exited: Promise<void>;
}

/** The environment of a `nuqta work` or `nuqta verify` child: the test's database, queue prefix and settings (no API, so no keys or secrets). */
function childEnv(config: NuqtaConfig): Record<string, string> {
  return cliEnv(config, {
    NUQTA_PARTITION_LEASE_SECONDS: String(config.NUQTA_PARTITION_LEASE_SECONDS),
    NUQTA_BATCH_SIZE: String(config.NUQTA_BATCH_SIZE),
    NUQTA_EXPIRY_EVERY_MINUTES: '0',
    LOG_LEVEL: 'warn',
  });
}

/** The TypeScript sources, not bin/nuqta.js: that one runs dist/ when it exists, which may be older than src/. */
function nuqtaArgs(args: readonly string[]): string[] {
  return ['--import', 'tsx', 'src/cli.ts', ...args];
}

/** Starts `nuqta work` on the test's stores. */
export function startWorker(config: NuqtaConfig): WorkerProcess {
  const child = spawn(process.execPath, nuqtaArgs(['work']), { env: childEnv(config), stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('the worker process did not start');
  const log: string[] = [];
  const lineReader = (): ((chunk: Buffer) => void) => {
    let rest = '';
    return (chunk) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      log.push(...lines.filter(Boolean));
    };
  };
  child.stdout?.on('data', lineReader());
  child.stderr?.on('data', lineReader());
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { process: child, pid: child.pid, log, exited };
}

/** Kills every worker still alive (stopped ones too) and waits until they are gone. */
export async function killWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const worker of workers) if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.exited));
}

/** Runs `nuqta …` to the end on the test's stores. */
export function runNuqta(config: NuqtaConfig, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, nuqtaArgs(args), { env: childEnv(config), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function key(app: TestNuqta, name: string): string {
  return `${app.config.NUQTA_QUEUE_PREFIX}:${name}`;
}

/** Which process (by pid) holds each partition's lease now; a lease's value is `pid-random:epoch` (partition-lease.ts). */
export async function leaseHolders(app: TestNuqta): Promise<Map<number, number | undefined>> {
  const values = await app.nuqta.redis.mget(...Array.from({ length: INGEST_PARTITIONS }, (_, partition) => key(app, `lease:${ingestQueueName(partition)}`)));
  return new Map(values.map((value, partition) => [partition, value === null ? undefined : Number(value.split('-')[0])]));
}

export async function partitionsOf(app: TestNuqta, pid: number): Promise<number[]> {
  return [...(await leaseHolders(app))].filter(([, holder]) => holder === pid).map(([partition]) => partition);
}

/**
 * Jobs a consumer has taken and not yet answered (BullMQ's active lists), in
 * the given partitions; with `oldest`, only that many of each partition's
 * oldest (the list grows at its head), which are the ones its batch scores.
 */
export async function activeJobs(app: TestNuqta, partitions: readonly number[], oldest?: number): Promise<string[]> {
  const from = oldest === undefined ? 0 : -oldest;
  return (await Promise.all(partitions.map((partition) => app.nuqta.redis.lrange(key(app, `${ingestQueueName(partition)}:active`), from, -1)))).flat();
}

/** Jobs completed in every partition. */
export async function completedJobs(app: TestNuqta): Promise<number> {
  const counts = await Promise.all(Array.from({ length: INGEST_PARTITIONS }, (_, partition) => app.nuqta.redis.zcard(key(app, `${ingestQueueName(partition)}:completed`))));
  return counts.reduce((sum, count) => sum + count, 0);
}
