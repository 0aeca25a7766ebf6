/**
 * `nuqta webhooks add|list|remove|rotate|deliveries|replay`: a brand's
 * webhook endpoints from the command line, as the API has them. A signing
 * secret is printed once, when it is made.
 */
import type { Queue } from 'bullmq';
import { InvalidArgumentError, type Command } from 'commander';
import type { CampaignRegistry } from './config/campaign-registry.js';
import { OUTBOUND_EVENT_TYPES, outboundEventTypeSchema, type OutboundEventType } from './domain/outbound-events.js';
import { NuqtaError } from './errors.js';
import type { WebhookDeliveries } from './outbound/deliveries.js';
import type { WebhookEndpoint, WebhookEndpoints } from './outbound/endpoints.js';
import { replayDelivery } from './outbound/outbox.js';

/** The opened service these commands work on, closed when a command ends. */
interface WebhookHost {
  campaigns: Pick<CampaignRegistry, 'get'>;
  outbound: { endpoints: WebhookEndpoints; deliveries: WebhookDeliveries; queue: Queue };
  close(): Promise<void>;
}

function eventTypes(value: string): OutboundEventType[] {
  const types = value.split(',').map((type) => type.trim()).filter(Boolean);
  const unknown = types.filter((type) => !outboundEventTypeSchema.safeParse(type).success);
  if (types.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`must be a comma-separated list of ${OUTBOUND_EVENT_TYPES.join(', ')}${unknown.length > 0 ? ` (not ${unknown.join(', ')})` : ''}`);
  return types as OutboundEventType[];
}

async function withHost(open: () => Promise<WebhookHost>, work: (host: WebhookHost) => Promise<void>): Promise<void> {
  const host = await open();
  try {
    await host.outbound.endpoints.refresh();
    await work(host);
  } finally {
    await host.close();
  }
}

function endpointOf(host: WebhookHost, endpointId: string): WebhookEndpoint {
  const endpoint = host.outbound.endpoints.find(endpointId);
  if (!endpoint) throw new NuqtaError('NUQTA_NOT_FOUND', `no webhook endpoint "${endpointId}" (nuqta webhooks list --campaign ID lists them)`);
  return endpoint;
}

export function registerWebhookCommands(program: Command, open: () => Promise<WebhookHost>): void {
  const webhooks = program.command('webhooks').description('endpoints that hear of a campaign\u2019s events (points earned, rewards, tiers, expiring points, review decisions, erasures)');

  webhooks
    .command('add')
    .description('register an endpoint; prints its signing secret once')
    .requiredOption('--campaign <id>', 'the campaign')
    .requiredOption('--url <url>', 'https:// (http:// only for localhost)')
    .requiredOption('--events <types>', OUTBOUND_EVENT_TYPES.join(','), eventTypes)
    .option('--description <text>', 'what it is for (a CRM, a WhatsApp sender)')
    .action(async (options: { campaign: string; url: string; events: OutboundEventType[]; description?: string }) => {
      await withHost(open, async (host) => {
        host.campaigns.get(options.campaign);
        const { endpoint, secret } = await host.outbound.endpoints.add({
          campaignId: options.campaign, url: options.url, events: options.events, ...(options.description === undefined ? {} : { description: options.description }),
        }, new Date());
        console.log(`${endpoint.id} ${endpoint.url} (${endpoint.events.join(', ')})`);
        console.log(`signing secret (shown once): ${secret}`);
      });
    });

  webhooks
    .command('list')
    .description('the campaign\u2019s endpoints')
    .requiredOption('--campaign <id>', 'the campaign')
    .action(async (options: { campaign: string }) => {
      await withHost(open, async (host) => {
        for (const endpoint of host.outbound.endpoints.forCampaign(options.campaign)) {
          console.log(`${endpoint.id} ${endpoint.url} (${endpoint.events.join(', ')})${endpoint.description ? ` ${endpoint.description}` : ''}`);
        }
      });
    });

  webhooks
    .command('remove')
    .description('remove an endpoint; its pending deliveries are dropped')
    .argument('<endpointId>', 'we_…')
    .action(async (endpointId: string) => {
      await withHost(open, async (host) => {
        await host.outbound.endpoints.remove(endpointOf(host, endpointId).id);
        console.log(`${endpointId} removed`);
      });
    });

  webhooks
    .command('rotate')
    .description('a new signing secret; the previous ones keep signing for --grace hours')
    .argument('<endpointId>', 'we_…')
    .option('--grace <hours>', 'hours the previous secret keeps signing', (value) => Number(value), 24)
    .action(async (endpointId: string, options: { grace: number }) => {
      await withHost(open, async (host) => {
        const rotated = await host.outbound.endpoints.rotate(endpointOf(host, endpointId).id, new Date(), options.grace);
        console.log(`new signing secret (shown once): ${rotated.secret}`);
        console.log(`the previous one signs until ${rotated.previousExpireAt.toISOString()}`);
      });
    });

  webhooks
    .command('deliveries')
    .description('the endpoint\u2019s delivery log, newest first')
    .argument('<endpointId>', 'we_…')
    .option('--limit <n>', 'how many', (value) => Number(value), 20)
    .action(async (endpointId: string, options: { limit: number }) => {
      await withHost(open, async (host) => {
        for (const delivery of await host.outbound.deliveries.recent(endpointOf(host, endpointId).id, options.limit)) {
          const last = delivery.lastResponse;
          const answer = last === undefined ? 'not tried yet' : last.status === undefined ? `error: ${last.error ?? ''}` : `${last.status} in ${last.durationMs} ms`;
          console.log(`${delivery.createdAt.toISOString()} ${delivery.id} ${delivery.type} ${delivery.status} after ${delivery.attempts} attempt(s), last: ${answer}`);
        }
      });
    });

  webhooks
    .command('replay')
    .description('send a delivery again, with the same event id')
    .argument('<deliveryId>', 'we_….evt_…')
    .action(async (deliveryId: string) => {
      await withHost(open, async (host) => {
        const delivery = await host.outbound.deliveries.get(deliveryId);
        if (!delivery) throw new NuqtaError('NUQTA_NOT_FOUND', `no delivery "${deliveryId}"`);
        await replayDelivery(host.outbound.deliveries, host.outbound.queue, delivery, new Date());
        console.log(`${deliveryId} queued again`);
      });
    });
}
