/**
 * Live updates: the `changeAdded` subscription for the focused entity, over graphql-ws on the page's own
 * /graphql (a WebSocket; the rest of the page uses HTTP POST). The connection opens with the first
 * subscription and comes back by itself after an outage; changes missed meanwhile are caught up by the
 * caller (`onState('live', { resumed: true })`).
 */
import { createClient, type Client } from 'graphql-ws';
import { ChangeAddedDocument, type ChangeAddedSubscription, type ChangeAddedSubscriptionVariables } from './generated/graphql';

export type LiveChange = ChangeAddedSubscription['changeAdded'];

/**
 * `connecting` until the service accepts the connection, `live` while it is open, `offline` between
 * tries, and `stopped` when the service refused the connection or ended the subscription (the next view
 * drawn subscribes again).
 */
export type LiveState = 'idle' | 'connecting' | 'live' | 'offline' | 'stopped';

export interface LiveHandlers {
  change(change: LiveChange): void;
  /** `resumed`: the connection came back after being lost, so changes may have been missed. */
  state(state: LiveState, details: { resumed: boolean; reason?: string }): void;
}

/** Waits between reconnection tries: 1, 2, 4 ... up to 30 seconds. */
const retryDelay = (tries: number) => Math.min(30_000, 1_000 * 2 ** tries);

/** The service refused this page (a credential is needed, 4401/4403) or its messages (4400): trying again would not help. */
const REFUSED = new Set([4400, 4401, 4403]);
const closeCode = (event: unknown) => (event as { code?: number } | null)?.code;

export class LiveFeed {
  private readonly client: Client;
  private watching: string | null = null;
  private stop: (() => void) | null = null;
  private wasLive = false;

  constructor(private readonly handlers: LiveHandlers) {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    this.client = createClient({
      url: `${scheme}://${window.location.host}/graphql`,
      retryAttempts: Number.POSITIVE_INFINITY,
      // A service that restarts or a network that drops is worth waiting for; the page says so meanwhile.
      shouldRetry: (event) => !REFUSED.has(closeCode(event) ?? 0),
      retryWait: (tries) => new Promise((resolve) => window.setTimeout(resolve, retryDelay(tries))),
      on: {
        connecting: () => handlers.state('connecting', { resumed: false }),
        connected: () => {
          handlers.state('live', { resumed: this.wasLive });
          this.wasLive = true;
        },
        closed: (event) => {
          if (this.watching === null) return;
          const reason = (event as { reason?: string } | null)?.reason || undefined;
          handlers.state(REFUSED.has(closeCode(event) ?? 0) ? 'stopped' : 'offline', { resumed: false, reason });
        },
      },
    });
  }

  /** Follows the changes that touch `entityId` (none for null), instead of what was followed. */
  watch(entityId: string | null): void {
    if (entityId === this.watching) return;
    this.stop?.();
    this.stop = null;
    this.watching = entityId;
    if (entityId === null) {
      this.handlers.state('idle', { resumed: false });
      return;
    }
    const variables: ChangeAddedSubscriptionVariables = { entityId };
    this.stop = this.client.subscribe<ChangeAddedSubscription>(
      { query: ChangeAddedDocument.toString(), variables },
      {
        next: ({ data }) => {
          if (data) this.handlers.change(data.changeAdded);
        },
        // Reached when the service ended this subscription (a GraphQL error) or refused the connection.
        error: (error) => {
          if (this.watching !== entityId) return;
          const reason = Array.isArray(error) ? (error as { message: string }[])[0]?.message : (error as { reason?: string }).reason;
          this.watching = null;
          this.handlers.state('stopped', { resumed: false, reason: reason || undefined });
        },
        complete: () => undefined,
      },
    );
  }
}
