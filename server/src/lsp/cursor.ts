// What the cursor is on: the line's text from the session (the editor's when the document is open),
// the decision in index/target.ts.
import type { CancellationToken, Position, TextDocumentPositionParams } from 'vscode-languageserver';
import { targetAt as targetInFile, type Target } from '../index/target';
import type { Place, Session } from './session';

export function targetAt(session: Session, place: Place, position: Position): Target | undefined {
  const lineText = session.lineText(place, position.line);
  if (lineText === undefined) return undefined;
  return targetInFile(place.index, place.file, lineText, position.line, position.character);
}

/** Where a position request is and what it is on; undefined outside every tree or on nothing. */
export function placeAndTarget(
  session: Session,
  params: TextDocumentPositionParams,
): { place: Place; target: Target } | undefined {
  const place = session.place(params.textDocument.uri);
  const target = place && targetAt(session, place, params.position);
  return target && { place, target };
}

/** A position request's handler that answers from the place and target (null on nothing). */
export function onTarget<Params extends TextDocumentPositionParams, Answer>(
  answer: (
    session: Session,
    place: Place,
    target: Target,
    params: Params,
    token: CancellationToken,
  ) => Answer | null,
): (session: Session, params: Params, token: CancellationToken) => Answer | null {
  return (session, params, token) => {
    const found = placeAndTarget(session, params);
    return found ? answer(session, found.place, found.target, params, token) : null;
  };
}
