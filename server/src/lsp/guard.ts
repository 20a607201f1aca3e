// Every request handler runs inside `guarded`: an exception becomes an error response for that
// request (and a log line), never a dead server; a cancelled request answers RequestCancelled.
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import type { Session } from './session';

export type Handler<P, R> = (session: Session, params: P, token: CancellationToken) => R | Promise<R>;

export class Cancelled extends Error {}

/** Throws `Cancelled` when the client cancelled; long loops call it now and then. */
export function checkCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw new Cancelled();
}

export function guarded<P, R>(
  session: Session,
  method: string,
  handler: Handler<P, R>,
): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
  return async (params, token) => {
    if (session.shutDown) {
      return new ResponseError(
        ErrorCodes.InvalidRequest,
        session.messages.format('server.afterShutdown', { request: method }),
      );
    }
    try {
      // Yield once so that a $/cancelRequest already waiting in the input is seen before the work.
      await new Promise((resolve) => setImmediate(resolve));
      checkCancelled(token);
      const result = await handler(session, params, token);
      checkCancelled(token);
      return result;
    } catch (error) {
      if (error instanceof Cancelled) {
        return new ResponseError(LSPErrorCodes.RequestCancelled, `${method} cancelled`);
      }
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      session.log(`${method}: ${detail}`);
      const message = error instanceof Error ? error.message : String(error);
      return new ResponseError(
        ErrorCodes.InternalError,
        session.messages.format('server.requestFailed', { request: method, error: message }),
      );
    }
  };
}
