/**
 * The soak's own Redis (AOF on) and MongoDB-wire server (FerretDB with its
 * own SQLite directory), each on a free loopback port, so restarting them
 * never disturbs the shared servers on 6379 and 27017. Every process started
 * here is killed by `remove()`, and by the exit hook should the soak die.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ownRedis, freePort, type OwnRedis } from '../helpers/own-redis.js';

const FERRETDB_DIR = path.resolve('.nuqta/bin');

export interface SoakServices {
  /** Undefined when the soak runs on a Redis it did not start (a cluster). */
  redisUrl: string | undefined;
  mongoUrl: string;
  /** Restarts Redis the way a crash would; acknowledged writes come back from the AOF. */
  restartRedis(downMs: number): Promise<void>;
  /** The last lines the MongoDB-wire server logged (for a failed run). */
  mongoLog(lines: number): string;
  /** Kills the MongoDB-wire server (SIGKILL) and starts it again on the same data. */
  restartMongo(downMs: number): Promise<void>;
  remove(): Promise<void>;
}

function ferretdbBinary(): string {
  const found = readdirSync(FERRETDB_DIR).filter((name) => name.startsWith('ferretdb-')).sort().at(-1);
  if (found === undefined) throw new Error(`no FerretDB binary in ${FERRETDB_DIR}: run scripts/services.sh install`);
  return path.join(FERRETDB_DIR, found);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, open: boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if ((await portOpen(port)) === open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} on port ${port} did not come ${open ? 'up' : 'down'}`);
}

class OwnFerretDb {
  private child: ChildProcess | undefined;

  constructor(readonly port: number, private readonly dir: string) {}

  async start(): Promise<void> {
    // Its own log, kept beside its data (outside the data directory's files): a failed run prints the end of it.
    const log = openSync(this.logFile, 'a');
    this.child = spawn(ferretdbBinary(), [
      '--handler=sqlite', `--sqlite-url=file:${this.dir}/`, `--listen-addr=127.0.0.1:${this.port}`, `--state-dir=${this.dir}`,
      '--debug-addr=-', '--telemetry=disable', '--log-level=warn',
    ], { stdio: ['ignore', log, log] });
    closeSync(log);
    await waitForPort(this.port, true, 'FerretDB');
  }

  get logFile(): string {
    return `${this.dir}.log`;
  }

  /** The last lines FerretDB logged. */
  logTail(lines: number): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n') : '';
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** For the exit hook: no waiting. */
  killNow(): void {
    this.child?.kill('SIGKILL');
  }
}

export async function startSoakServices(options: { redis: boolean }): Promise<SoakServices> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nuqta-soak-ferretdb-'));
  const ferretdb = new OwnFerretDb(await freePort(), dir);
  const redis: OwnRedis | undefined = options.redis ? await ownRedis() : undefined;
  const onExit = (): void => {
    ferretdb.killNow();
    if (redis) spawnSync('redis-cli', ['-u', redis.url, 'shutdown', 'nosave']);
  };
  process.once('exit', onExit);
  await ferretdb.start();
  await redis?.start();
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    redisUrl: redis?.url,
    mongoUrl: `mongodb://127.0.0.1:${ferretdb.port}`,
    mongoLog: (lines) => ferretdb.logTail(lines),
    async restartRedis(downMs) {
      if (!redis) throw new Error('the soak runs on a Redis it did not start: no Redis restarts');
      await redis.stop();
      await pause(downMs);
      await redis.start();
    },
    async restartMongo(downMs) {
      await ferretdb.kill();
      await pause(downMs);
      await ferretdb.start();
    },
    async remove() {
      process.removeListener('exit', onExit);
      await ferretdb.kill();
      if (redis) {
        await redis.stop();
        redis.remove();
      }
      rmSync(dir, { recursive: true, force: true });
      rmSync(ferretdb.logFile, { force: true });
    },
  };
}
