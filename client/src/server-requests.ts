// Sends the custom requests of server/src/protocol.ts. A request fails with one clear, non-modal
// message naming what failed, never an exception: a server without the feature yet answers
// "method not found", and that is reported as such.
import * as vscode from 'vscode';
import {
  ErrorCodes,
  ResponseError,
  type LanguageClient,
  type RequestParam,
  type RequestType,
} from 'vscode-languageclient/node';

export class ServerRequests {
  constructor(
    private readonly client: LanguageClient,
    private readonly output: vscode.OutputChannel,
  ) {}

  /** The result, or undefined after telling the reader why there is none. */
  async send<Params, Result>(
    request: RequestType<Params, Result, void>,
    params: RequestParam<Params>,
    what: string,
  ): Promise<Result | undefined> {
    try {
      if (!this.client.isRunning()) {
        throw new Error(vscode.l10n.t('the language server is not running'));
      }
      return await this.client.sendRequest(request, params);
    } catch (error) {
      const reason = describeFailure(error, request.method);
      this.output.appendLine(`[client] ${request.method} failed: ${reason}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} failed: {1}', what, reason));
      return undefined;
    }
  }

  /** Like `send`, but a failure is only logged: for requests the reader did not ask for directly. */
  async sendQuietly<Params, Result>(
    request: RequestType<Params, Result, void>,
    params: RequestParam<Params>,
  ): Promise<Result | undefined> {
    try {
      if (this.client.isRunning()) return await this.client.sendRequest(request, params);
    } catch (error) {
      this.output.appendLine(`[client] ${request.method} failed: ${describeFailure(error, request.method)}`);
    }
    return undefined;
  }
}

function describeFailure(error: unknown, method: string): string {
  if (error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound) {
    return vscode.l10n.t('this version of the language server does not support {0} yet', method);
  }
  return error instanceof Error ? error.message : String(error);
}
