import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import { KernelIndex } from '../../../server/src/index/kernel-index';
import { scenarioDiagnostics } from '../../../server/src/trace/api';
import { scenarioText } from '../models/run-text';

let indexer: FileIndexer;
before(async () => {
  indexer = await FileIndexer.create();
});

const unknownConstants = (diagnostics: { message: string }[]): string[] =>
  diagnostics.flatMap((d) => /^unknown constant '(\w+)'/.exec(d.message)?.[1] ?? []);

test('a scenario checked while the tree indexes sees the constants indexed after it', async () => {
  const index = new KernelIndex('/kernel', '6.1.0');
  const text = scenarioText('\tsocket(AF_PACKET, 3, 0);');
  assert.deepEqual(unknownConstants(await scenarioDiagnostics(text, 'a.c', index)), ['AF_PACKET']);

  index.setFile(indexer.indexText('include/linux/socket.h', '#define AF_PACKET 17\n'));
  assert.equal(index.evaluateConstant('AF_PACKET'), 17);
  assert.deepEqual(unknownConstants(await scenarioDiagnostics(text, 'a.c', index)), []);
});
