/**
 * Work that any number of events ask for, run once for all of them: asked while it runs, it runs
 * once more afterwards (what it had already walked past may have changed), never twice at once.
 * Approvers' installations arriving together (an admin's push) each ask for the same walk over the
 * pending requests (deliverAwaiting): one walk, and one after it, serves them all.
 */
export class Coalesced {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly work: () => Promise<unknown>) {}

  /** Resolves when a run that started after this call has finished. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.work();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
