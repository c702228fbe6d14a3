import * as vscode from 'vscode';

/**
 * The extension's single log (a `LogOutputChannel` named "Paper Shelf") and the way
 * errors reach the user: a message with a button that opens the log.
 */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Paper Shelf', { log: true });
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.info(message, ...args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(message, ...args);
  }

  error(message: string | Error, ...args: unknown[]): void {
    this.channel.error(message, ...args);
  }

  /** Log an error and show it with a "Show Log" action. */
  async showError(message: string, error?: unknown): Promise<void> {
    if (error !== undefined) this.channel.error(`${message}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    else this.channel.error(message);
    const choice = await vscode.window.showErrorMessage(message, 'Show Log');
    if (choice === 'Show Log') this.channel.show(true);
  }

  /** Log a warning and show it with a "Show Log" action. */
  async showWarning(message: string, ...actions: string[]): Promise<string | undefined> {
    this.channel.warn(message);
    const choice = await vscode.window.showWarningMessage(message, ...actions, 'Show Log');
    if (choice === 'Show Log') this.channel.show(true);
    return choice;
  }

  dispose(): void {
    this.channel.dispose();
  }
}
