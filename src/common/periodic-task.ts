import type { Logger } from '../logger';

/**
 * Runs `work` every `intervalMs`, never overlapping itself (the next run is scheduled when
 * the previous one ends). A failure is logged once per streak, not every tick: when the
 * database is away, one warning rather than two a second.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  start(): this {
    if (this.intervalMs > 0) this.schedule();
    return this;
  }

  /** Runs once now (unless stopped), with the same error handling as a timed run. */
  runNow(): Promise<void> {
    this.running ??= this.once().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runNow().then(() => this.schedule()), this.intervalMs);
    this.timer.unref();
  }

  private async once(): Promise<void> {
    try {
      await this.work();
      if (this.failing) this.log.info({ task: this.name }, 'background task recovered');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.log.warn({ err, task: this.name }, 'background task failed; retrying on the next tick');
      this.failing = true;
    }
  }
}
