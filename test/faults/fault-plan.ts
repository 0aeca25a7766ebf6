/**
 * Which faults a soak run plays, chosen by its seed alone: the same seed
 * always gives the same plan, traffic and fault order (the moments a process
 * dies still depend on the machine's speed).
 */
import { createRandom, type Random } from '../../src/platforms/emulator/random.js';

export type WorkerFault = 'none' | 'kill' | 'kill-and-restart';

export interface FaultPlan {
  seed: number;
  /** Worker processes sharing the partitions. */
  workers: 2 | 3;
  /** One worker SIGKILLed while it holds jobs; with restart, a new one takes its place. */
  worker: WorkerFault;
  /** Redis stopped and started again (AOF) while webhooks arrive. */
  restartRedis: boolean;
  /** The MongoDB-wire server killed and started again while workers score. */
  restartMongo: boolean;
  /** Share of webhook deliveries sent twice. */
  duplicateShare: number;
  /** Deliveries sent in a shuffled order. */
  reorder: boolean;
  /** Share of deliveries held back until the rest are in. */
  delayShare: number;
  /** Share of deliveries sent again once the campaign has moved on (after the first drain). */
  replayShare: number;
  /** Comments the brand's own sync posts again through POST /v1/events, as a poller would report them. */
  echoShare: number;
  /** Comments deleted after they earned (TikTok comment updates sent after the first drain). */
  deleteAfterEarning: boolean;
  /** Redemptions sent while the members' comments are still being scored. */
  redemptions: number;
}

export interface FaultPlanOptions {
  /** Redis restarts need a Redis the soak started itself (not a shared cluster). */
  redisRestarts: boolean;
  /** Fixes the number of worker processes (the cluster profile runs two). */
  workers?: 2 | 3;
}

function share(random: Random, probability: number, low: number, high: number): number {
  return random.chance(probability) ? low + random.next() * (high - low) : 0;
}

export function faultPlanOf(seed: number, options: FaultPlanOptions): FaultPlan {
  const random = createRandom(seed).fork('fault-plan');
  const workers = options.workers ?? (random.chance(0.5) ? 2 : 3);
  const worker = random.pick<WorkerFault>(['none', 'kill', 'kill-and-restart', 'kill-and-restart']);
  const restartRedis = options.redisRestarts && random.chance(0.4);
  const restartMongo = random.chance(0.4);
  return {
    seed,
    workers,
    // Every run has at least one process fault.
    worker: worker === 'none' && !restartRedis && !restartMongo ? 'kill' : worker,
    restartRedis,
    restartMongo,
    duplicateShare: share(random, 0.7, 0.1, 0.4),
    reorder: random.chance(0.6),
    delayShare: share(random, 0.5, 0.05, 0.2),
    replayShare: share(random, 0.6, 0.1, 0.3),
    echoShare: share(random, 0.5, 0.1, 0.4),
    deleteAfterEarning: random.chance(0.7),
    redemptions: random.chance(0.7) ? random.int(2, 8) : 0,
  };
}

/** The plan in a few words, for the run's line. */
export function describePlan(plan: FaultPlan): string {
  const parts = [`${plan.workers} workers`];
  if (plan.worker !== 'none') parts.push(plan.worker === 'kill' ? 'worker killed' : 'worker killed+restarted');
  if (plan.restartRedis) parts.push('redis restarted');
  if (plan.restartMongo) parts.push('mongo restarted');
  if (plan.duplicateShare > 0) parts.push(`dup ${Math.round(plan.duplicateShare * 100)}%`);
  if (plan.reorder) parts.push('reordered');
  if (plan.delayShare > 0) parts.push(`delayed ${Math.round(plan.delayShare * 100)}%`);
  if (plan.replayShare > 0) parts.push(`replayed ${Math.round(plan.replayShare * 100)}%`);
  if (plan.echoShare > 0) parts.push(`echoed ${Math.round(plan.echoShare * 100)}%`);
  if (plan.deleteAfterEarning) parts.push('deletions');
  if (plan.redemptions > 0) parts.push(`${plan.redemptions} redemptions`);
  return parts.join(', ');
}
