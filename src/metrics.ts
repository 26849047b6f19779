// Prometheus metrics for /metrics: a registry per bot instance, so several instances in one test process stay apart.
import client from 'prom-client'

export class Metrics {
  readonly registry = new client.Registry()

  constructor() {
    // process_resident_memory_bytes, nodejs_heap_size_used_bytes, event-loop lag, GC: what an operator watches.
    client.collectDefaultMetrics({ register: this.registry, prefix: 'unionbot_' })
  }

  readonly eventsReceived = new client.Counter({ name: 'unionbot_events_received_total', help: 'Feishu events accepted by the webhook', labelNames: ['type'], registers: [this.registry] })
  readonly eventsDuplicate = new client.Counter({ name: 'unionbot_events_duplicate_total', help: 'Deliveries dropped as duplicates', labelNames: ['type'], registers: [this.registry] })
  readonly eventsProcessed = new client.Counter({ name: 'unionbot_events_processed_total', help: 'Events handled to completion', labelNames: ['type'], registers: [this.registry] })
  readonly eventsFailed = new client.Counter({ name: 'unionbot_events_failed_total', help: 'Event handling attempts that failed', labelNames: ['type', 'code'], registers: [this.registry] })
  readonly requestsRejected = new client.Counter({ name: 'unionbot_webhook_rejected_total', help: 'Webhook requests refused', labelNames: ['code'], registers: [this.registry] })
  readonly intakeToHandled = new client.Histogram({
    name: 'unionbot_intake_to_handled_seconds',
    help: 'Time from durable intake to the end of handling',
    labelNames: ['type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
    registers: [this.registry],
  })
  /** Deliveries taken in per transport (webhook, websocket) and update kind, duplicates included. */
  readonly transportEvents = new client.Counter({ name: 'unionbot_transport_events_total', help: 'Feishu deliveries received, by transport', labelNames: ['transport', 'type'], registers: [this.registry] })
  /** The long connection's state: 1 for the current one of idle, connecting, connected, reconnecting, failed, stopped. */
  readonly longConnectionState = new client.Gauge({ name: 'unionbot_long_connection_state', help: 'Long connection (WSClient) state, 1 for the current state', labelNames: ['state'], registers: [this.registry] })
  readonly longConnectionReconnects = new client.Counter({ name: 'unionbot_long_connection_reconnects_total', help: 'Long connection drops the SDK reconnects by itself', registers: [this.registry] })
  readonly longConnectionRestarts = new client.Counter({ name: 'unionbot_long_connection_restarts_total', help: 'Long connection clients the SDK gave up on and the bot restarted', labelNames: ['code'], registers: [this.registry] })
  readonly longConnectionRejected = new client.Counter({ name: 'unionbot_long_connection_rejected_total', help: 'Long connection frames acknowledged but not taken in', labelNames: ['code'], registers: [this.registry] })
  readonly outboundSends = new client.Counter({ name: 'unionbot_outbound_requests_total', help: 'Open API calls made', labelNames: ['method'], registers: [this.registry] })
  readonly outboundRetries = new client.Counter({ name: 'unionbot_outbound_retries_total', help: 'Open API calls retried', labelNames: ['method', 'code'], registers: [this.registry] })
  readonly outboundFailures = new client.Counter({ name: 'unionbot_outbound_failures_total', help: 'Open API calls that failed for good', labelNames: ['method', 'code'], registers: [this.registry] })
  /** Feishu rejected what we sent (230099 card error, 230025 too long, 230001 bad parameter): a bug to fix, never retried. */
  /** Messages understood without their exact command word, by how (sentence, number, greeting, mention): no text kept. */
  readonly messagesUnderstood = new client.Counter({ name: 'unionbot_messages_understood_total', help: 'Messages understood other than by their exact command word, by how', labelNames: ['via'], registers: [this.registry] })
  /** Messages the bot did not understand, by reason (near-miss, nothing-close, negated, too-long): what people try, never what they wrote. */
  readonly messagesUnmatched = new client.Counter({ name: 'unionbot_messages_unmatched_total', help: 'Messages not understood, by reason (no text is kept)', labelNames: ['reason'], registers: [this.registry] })
  readonly feishuFormatErrors = new client.Counter({ name: 'unionbot_feishu_format_errors_total', help: 'Open API calls Feishu rejected as malformed (our card or message)', labelNames: ['method', 'code'], registers: [this.registry] })
}
