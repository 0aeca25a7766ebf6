import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per running nuqta (tests run several side by side). */
export class Metrics {
  readonly registry = new Registry();
  readonly eventsReceived = new Counter({ name: 'nuqta_events_received_total', help: 'Events received, by source and platform', labelNames: ['source', 'platform'] as const, registers: [this.registry] });
  readonly eventsAccepted = new Counter({ name: 'nuqta_events_accepted_total', help: 'Events durably enqueued', labelNames: ['source', 'platform'] as const, registers: [this.registry] });
  readonly eventsRejected = new Counter({ name: 'nuqta_events_rejected_total', help: 'Deliveries or events refused, by reason', labelNames: ['source', 'reason'] as const, registers: [this.registry] });
  readonly payloadSkipped = new Counter({ name: 'nuqta_payload_skipped_total', help: 'Parts of platform payloads skipped, by reason and field', labelNames: ['platform', 'reason', 'field'] as const, registers: [this.registry] });
  readonly eventsStored = new Counter({ name: 'nuqta_events_stored_total', help: 'Events stored by the worker, new or duplicate', labelNames: ['outcome'] as const, registers: [this.registry] });
  readonly awards = new Counter({ name: 'nuqta_awards_total', help: 'Ledger entries written, by campaign, kind and status', labelNames: ['campaign', 'kind', 'status'] as const, registers: [this.registry] });
  readonly points = new Counter({ name: 'nuqta_points_awarded_total', help: 'Points written to the ledger (absolute), by campaign and kind', labelNames: ['campaign', 'kind'] as const, registers: [this.registry] });
  readonly accountNotices = new Counter({ name: 'nuqta_account_notices_total', help: 'Platform notices about connected accounts (e.g. authorization removed)', labelNames: ['platform', 'kind'] as const, registers: [this.registry] });
  readonly accountAlerts = new Counter({ name: 'nuqta_account_alerts_total', help: 'Connected accounts that stopped or will stop and need a person (expired or revoked token, token refresh failing, missing permission)', labelNames: ['platform', 'reason'] as const, registers: [this.registry] });
  readonly accountsPaused = new Gauge({ name: 'nuqta_accounts_paused', help: 'Connected accounts not being polled, by status (paused, needs_reauth)', labelNames: ['platform', 'status'] as const, registers: [this.registry] });
  readonly tokenRefreshes = new Counter({ name: 'nuqta_token_refreshes_total', help: 'Access token refreshes of connected accounts, by platform and outcome (refreshed, failed)', labelNames: ['platform', 'outcome'] as const, registers: [this.registry] });
  readonly polls = new Counter({ name: 'nuqta_polls_total', help: 'Account polls, by platform and outcome', labelNames: ['platform', 'outcome'] as const, registers: [this.registry] });
  readonly flagsOpened = new Counter({ name: 'nuqta_review_flags_opened_total', help: 'Review flags opened for held awards, by campaign', labelNames: ['campaign'] as const, registers: [this.registry] });
  readonly flagsDecided = new Counter({ name: 'nuqta_review_flags_decided_total', help: 'Review flags decided, by campaign and decision (approve, reject)', labelNames: ['campaign', 'decision'] as const, registers: [this.registry] });
  readonly reviewQueueOpen = new Gauge({ name: 'nuqta_review_queue_open', help: 'Open review flags, by campaign (set on scrape)', labelNames: ['campaign'] as const, registers: [this.registry] });
  readonly reviewQueueAge = new Gauge({ name: 'nuqta_review_queue_oldest_age_seconds', help: 'Age of the oldest open review flag, by campaign (0 when none; set on scrape)', labelNames: ['campaign'] as const, registers: [this.registry] });
  readonly webhookDeliveries = new Counter({ name: 'nuqta_webhook_deliveries_total', help: 'Outbound webhook delivery attempts, by outcome (delivered, retry, failed)', labelNames: ['outcome'] as const, registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'nuqta_queue_depth', help: 'Ingest jobs by state', labelNames: ['state'] as const, registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'nuqta_' });
  }
}
