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
  readonly queueDepth = new Gauge({ name: 'nuqta_queue_depth', help: 'Ingest jobs by state', labelNames: ['state'] as const, registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'nuqta_' });
  }
}
