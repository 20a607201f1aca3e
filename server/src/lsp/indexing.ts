// Builds (or loads) the index of every served tree in the background, reporting work-done progress
// and kernelNetReader/indexState. Requests are answered from what is indexed so far; open documents
// are indexed first.
import { MessageType, type WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { uriToFile } from './convert';
import { indexStateNotification, type IndexStateParams } from '../protocol';
import type { IndexStarter, KernelTree, Session } from './session';

const reportEveryMs = 250;

export function indexState(tree: KernelTree): IndexStateParams {
  return {
    root: tree.root,
    state: tree.state,
    ...tree.progress,
    version: tree.index?.version,
    message: tree.message,
  };
}

/** Starts every tree's index; resolves when all are ready (or failed). */
export async function indexTrees(
  session: Session,
  startIndex: IndexStarter,
  onReady: (tree: KernelTree) => void,
): Promise<void> {
  await Promise.all(session.trees.map((tree) => indexTree(session, tree, startIndex, onReady)));
}

async function indexTree(
  session: Session,
  tree: KernelTree,
  startIndex: IndexStarter,
  onReady: (tree: KernelTree) => void,
): Promise<void> {
  const { connection, messages } = session;
  let progress: WorkDoneProgressServerReporter | undefined;
  let lastReport = 0;
  const onProgress = (done: number, total: number): void => {
    tree.progress = { done, total };
    const now = Date.now();
    if (now - lastReport < reportEveryMs && done < total) return;
    lastReport = now;
    progress?.report(
      total > 0 ? Math.floor((done * 100) / total) : 0,
      messages.format('progress.files', { done, total }),
    );
    void connection.sendNotification(indexStateNotification, indexState(tree));
  };
  const started = Date.now();
  try {
    const priorityFiles = session.documents
      .keys()
      .map((uri) => uriToFile(tree.root, uri))
      .filter((file): file is string => file !== undefined);
    const onDamaged = (reason: string) => {
      session.log(`${reason}: indexing ${tree.root} again`);
      tree.state = 'indexing';
      void indexTree(session, tree, startIndex, onReady);
    };
    const build = startIndex(tree.root, { cache: session.cache, onProgress, priorityFiles, onDamaged });
    // The index answers from the first indexed file on; its root is the real path of the tree.
    tree.index = build.index;
    tree.index.setPreferredArch(session.arch);
    tree.root = build.index.root;
    progress = await createProgress(session);
    progress?.begin(messages.format('progress.title'), 0, tree.root, false);
    await build.ready;
    tree.state = 'ready';
    onReady(tree);
    session.log(
      `indexed ${tree.root} (${build.index.version}, ${build.index.files().length} files) in ${Date.now() - started} ms`,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    tree.state = 'failed';
    tree.message = message;
    session.log(`indexing ${tree.root} failed: ${error instanceof Error ? error.stack : message}`);
    void connection.window.showErrorMessage(
      messages.format('server.indexFailed', { path: tree.root, error: message }),
    );
  } finally {
    progress?.done();
    void connection.sendNotification(indexStateNotification, indexState(tree));
  }
}

/** Work-done progress when the client supports it; a client that refuses it just sees none. */
async function createProgress(session: Session): Promise<WorkDoneProgressServerReporter | undefined> {
  try {
    return await session.connection.window.createWorkDoneProgress();
  } catch (error) {
    session.log(`no work-done progress: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** Says once, clearly, that there is nothing to index; the server stays up and answers empty. */
export function warnNoKernel(session: Session, rejected: { path: string; reason: string }[]): void {
  const message =
    rejected.length > 0
      ? session.messages.format('server.notKernelTree', { reason: rejected.map((r) => r.reason).join('; ') })
      : session.messages.format('server.noKernelTree');
  session.log(message);
  void session.connection.sendNotification('window/showMessage', { type: MessageType.Warning, message });
  for (const { path, reason } of rejected) {
    const params: IndexStateParams = {
      root: path,
      state: 'not-a-kernel-tree',
      done: 0,
      total: 0,
      message: reason,
    };
    void session.connection.sendNotification(indexStateNotification, params);
  }
}
