import { Client } from 'pg';
import type { Logger } from '../logger';
import type { Actor } from '../access/actor';

/** The channel the staff_member and agency triggers notify on (migrations/Migration20261213070200.ts). */
export const ACTOR_CHANNEL = 'hub_actor_changed';
/** The listening session's application_name, for operators (pg_stat_activity) and tests. */
export const ACTOR_LISTENER = 'hub-actor-cache';

export interface ActorCacheOptions {
  /** Entries before the cache starts over (a token names one of the staff: a few thousand at most). */
  max?: number;
  /** Between two attempts to listen again after the connection was lost. */
  retryMs?: number;
  /** A round trip on the listening connection this often proves that it still hears. */
  heartbeatMs?: number;
}

/**
 * Actors by username, so that a request needs no statement to learn who is asking, held only
 * while this process hears every change to staff and agencies: a trigger on each table notifies
 * ACTOR_CHANNEL in the changing transaction, PostgreSQL delivers it to every listening process
 * when that transaction commits, and each drops its whole cache (changes to staff are rare).
 *
 * Fail safe: while the listening connection is not confirmed (before it listens, after it is
 * lost, or when its last heartbeat is older than two intervals) nothing is served from the cache
 * and nothing is stored, so every request reads the database as before; a reconnect starts
 * empty, since a change made while it was away was not heard. A read that began before a change
 * was heard is not stored (`ticket`), so a deactivation cannot be undone by a slow lookup.
 */
export class ActorCache {
  private readonly entries = new Map<string, Actor>();
  private generation = 0;
  private client: Client | undefined;
  private confirmedAt = 0;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly max: number;
  private readonly retryMs: number;
  private readonly heartbeatMs: number;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
    opts: ActorCacheOptions = {},
  ) {
    this.max = opts.max ?? 10_000;
    this.retryMs = opts.retryMs ?? 1_000;
    this.heartbeatMs = opts.heartbeatMs ?? 5_000;
  }

  /** Starts listening; the hub serves (uncached) even while the listener cannot connect. */
  async start(): Promise<this> {
    await this.listen();
    return this;
  }

  /** Taken before a lookup in the database; `remember` stores the result only if nothing changed since. */
  ticket(): number {
    return this.generation;
  }

  get(username: string): Actor | undefined {
    return this.hearing() ? this.entries.get(username) : undefined;
  }

  remember(username: string, actor: Actor, ticket: number): void {
    if (ticket !== this.generation || !this.hearing()) return;
    if (this.entries.size >= this.max) this.entries.clear();
    // Shared by this user's requests from now on: no request may change it for the others.
    Object.freeze(actor.roles);
    this.entries.set(username, Object.freeze(actor));
  }

  /** Drops every entry, and makes lookups already under way unstorable. */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  /**
   * Resolves once every change committed before the call has been heard (a notification is
   * delivered before the answer to a later statement on the listening connection). For callers
   * that changed staff outside the hub, e.g. by hand in SQL, and must see it on their next request.
   */
  async sync(): Promise<void> {
    await this.client?.query('select 1').catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    this.invalidate();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private hearing(): boolean {
    return this.client !== undefined && Date.now() - this.confirmedAt < 2 * this.heartbeatMs;
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      application_name: ACTOR_LISTENER,
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
      query_timeout: this.heartbeatMs, // a heartbeat unanswered: the connection is lost
    });
    client.on('notification', () => this.invalidate());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${ACTOR_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.stopped) return void client.end().catch(() => undefined);
    this.invalidate(); // whatever changed before LISTEN took effect was not heard
    this.client = client;
    this.confirmedAt = Date.now();
    this.heartbeat = setInterval(() => void this.beat(client), this.heartbeatMs).unref();
  }

  /** Pending notifications arrive before the answer of any statement on the connection. */
  private async beat(client: Client): Promise<void> {
    try {
      await client.query('select 1');
      if (client === this.client) this.confirmedAt = Date.now();
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error?: unknown): void {
    const wasListening = client === this.client;
    if (wasListening) {
      this.client = undefined;
      clearInterval(this.heartbeat);
    }
    this.invalidate();
    void client.end().catch(() => undefined);
    if (this.stopped || (!wasListening && this.retry !== undefined)) return;
    if (wasListening)
      this.log.warn({ err: error }, 'the actor cache lost its LISTEN connection: reading staff from the database until it listens again');
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.listen();
    }, this.retryMs).unref();
  }
}
