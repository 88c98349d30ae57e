/** "Name: message" of a failure, for a log line (never its stack or the request it carried). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
