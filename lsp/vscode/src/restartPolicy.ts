// Restart the server after a crash, but give up after too many crashes in a short time.
import {
  CloseAction,
  CloseHandlerResult,
  ErrorAction,
  ErrorHandler,
  ErrorHandlerResult,
  Message,
} from "vscode-languageclient/node";

export class RestartPolicy implements ErrorHandler {
  private crashes: number[] = [];

  constructor(
    private readonly maxRestarts = 4,
    private readonly windowMs = 3 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Transport errors: keep going for a few, then shut the connection down. An error the client
   * does not count (a write to a server that has just died: "write EPIPE") is left to `closed`,
   * which restarts the server or says why it will not: shutting down here would leave the
   * server stopped without a word of why, and no restart.
   */
  error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    return { action: count === undefined || count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
  }

  /** The server process ended unexpectedly: restart unless it crashed too often recently. */
  closed(): CloseHandlerResult {
    const t = this.now();
    this.crashes = this.crashes.filter((c) => t - c < this.windowMs);
    if (this.crashes.length >= this.maxRestarts) {
      const minutes = Math.round(this.windowMs / 60000);
      return {
        action: CloseAction.DoNotRestart,
        message:
          `The docdiff language server stopped ${this.crashes.length + 1} times in ${minutes} minutes and ` +
          `will not be restarted. See the "docdiff" output, then run "docdiff: Restart Server".`,
      };
    }
    this.crashes.push(t);
    return { action: CloseAction.Restart };
  }

  /** Forget past crashes (after a manual restart). */
  reset(): void {
    this.crashes = [];
  }
}
