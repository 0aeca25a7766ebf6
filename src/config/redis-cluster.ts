/**
 * Redis Cluster settings. On a cluster every key a Lua script, a pipeline or
 * a BullMQ queue touches together must hash to one slot, so nuqta's key
 * prefix becomes a hash tag (`nuqta` → `{nuqta}`): every key is named
 * `<prefix>:…` in one place or another, and this is the one place that
 * decides the prefix. One deployment's keys then live on one master; run
 * campaigns under several prefixes (deployments) to spread them.
 */
import { z } from 'zod';

export interface ClusterNode {
  host: string;
  port: number;
}

/** `host:port,host:port,…`: any of the cluster's masters; the client learns the rest. */
export const clusterNodesSchema = z
  .string()
  .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'must be host:port pairs separated by commas, such as 127.0.0.1:7001,127.0.0.1:7002')
  .transform((value): ClusterNode[] => value.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  }));

/** The prefix as a hash tag, once (a child process handed an already tagged prefix keeps it). */
export function hashTagged(prefix: string): string {
  return prefix.startsWith('{') ? prefix : `{${prefix}}`;
}
