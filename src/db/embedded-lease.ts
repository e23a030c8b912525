import { Client } from 'pg';

/**
 * Who stops an embedded cluster that several processes share (a serving hub, `hub seed`, a
 * second hub on the same data directory): the last one to leave.
 *
 * Each process that uses the cluster holds a shared advisory lock, on a connection of its own,
 * for as long as it uses it. Leaving, it gives up its share and asks for the same lock
 * exclusively: PostgreSQL grants that only when no other process holds a share, and then
 * nobody can take one until the server is gone, so the leaver stops it. A process that dies
 * loses its share with its connection; a newcomer that connects while the last one is stopping
 * waits for its share, loses the connection as the server goes, and starts the server again.
 * PostgreSQL keeps the count, so a crash never leaves a stale one behind.
 */
const LEASE_KEY = 7_305_120_011;
const RECONNECT_MS = 1_000;

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000, application_name: 'hub embedded-cluster lease' });
  client.on('error', () => undefined); // a lost lease connection is handled by its owner (onLost)
  await client.connect();
  return client;
}

export class ClusterLease {
  private released = false;

  private constructor(
    private readonly url: string,
    private client: Client,
  ) {
    this.watch();
  }

  /** Takes a share of the cluster at `url` (its `postgres` database, as the superuser). */
  static async acquire(url: string): Promise<ClusterLease> {
    const client = await connect(url);
    try {
      await client.query('select pg_advisory_lock_shared($1)', [LEASE_KEY]);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return new ClusterLease(url, client);
  }

  /**
   * The server restarted under this process (a crash, an operator): take the share again on a
   * new connection, so that another process leaving does not stop the server under this one.
   */
  private watch(): void {
    this.client.once('end', () => {
      if (this.released) return;
      const retry = () => {
        if (this.released) return;
        ClusterLease.acquire(this.url).then(
          (again) => {
            again.released = true; // its own watcher stands down; this lease carries on with its connection
            this.client = again.client;
            this.watch();
          },
          () => setTimeout(retry, RECONNECT_MS).unref(),
        );
      };
      setTimeout(retry, RECONNECT_MS).unref();
    });
  }

  /**
   * Gives up this process's share. True when no other process holds one: the caller then stops
   * the server, and this lease holds the lock exclusively until the server is gone.
   */
  async release(): Promise<boolean> {
    if (this.released) return false;
    this.released = true;
    try {
      await this.client.query('select pg_advisory_unlock_shared($1)', [LEASE_KEY]);
      const { rows } = await this.client.query<{ last: boolean }>('select pg_try_advisory_lock($1) as last', [LEASE_KEY]);
      return rows[0].last;
    } catch {
      // The lease connection was lost just now: ask on a new one whether anybody else holds a share.
      try {
        await this.client.end().catch(() => undefined);
        this.client = await connect(this.url);
        const { rows } = await this.client.query<{ last: boolean }>('select pg_try_advisory_lock($1) as last', [LEASE_KEY]);
        return rows[0].last;
      } catch {
        return false; // the server is not answering: nothing to stop
      }
    }
  }

  /** A statement on the lease connection (as the superuser, in the `postgres` database). */
  async query<T = Record<string, unknown>>(text: string): Promise<T[]> {
    return (await this.client.query(text)).rows as T[];
  }

  /** Closes the lease connection (the server's shutdown may have closed it already). */
  async end(): Promise<void> {
    this.released = true;
    await this.client.end().catch(() => undefined);
  }
}
