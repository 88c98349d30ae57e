/** A clock that moves only when the test says so: expiry, reminders and lease TTLs without sleeping. */
import type { Clock } from '../../../src/domain/ports';

export class ManualClock implements Clock {
  private ms: number;

  constructor(start: string = '2026-03-02T09:00:00.000Z') {
    this.ms = Date.parse(start);
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
}
