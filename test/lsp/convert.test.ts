import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileToUri, spanToRange, uriToFile } from '../../server/src/lsp/convert';

test('paths and URIs convert both ways, relative to the kernel root', () => {
  const root = '/srv/linux tree';
  const uri = fileToUri(root, 'net/packet/af_packet.c');
  assert.equal(uri, 'file:///srv/linux%20tree/net/packet/af_packet.c');
  assert.equal(uriToFile(root, uri), 'net/packet/af_packet.c');
  assert.equal(uriToFile(root, 'file:///elsewhere/x.c'), undefined);
  assert.equal(uriToFile(root, 'untitled:Untitled-1'), undefined);
  assert.equal(uriToFile(root, 'file:///srv/linux%20tree'), undefined);
});

test('spans become ranges unchanged (both 0-based)', () => {
  const span = { line: 3, column: 4, endLine: 3, endColumn: 11 };
  assert.deepEqual(spanToRange(span), { start: { line: 3, character: 4 }, end: { line: 3, character: 11 } });
});
