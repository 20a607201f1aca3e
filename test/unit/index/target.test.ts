import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMemberAccess, spanContains, wordAt } from '../../../server/src/index/target';
import { markersIn } from '../../lsp/support/markers';

function wordAtMarker(line: string) {
  const position = markersIn(line).get('here');
  assert.ok(position, 'the line has a here-marker');
  return wordAt(line, position.character);
}

test('the identifier under the cursor, with what comes before it', () => {
  const word = wordAtMarker('\treturn sock->ops->recvmsg/*@here*/(sock, msg);');
  assert.equal(word?.name, 'recvmsg');
  assert.ok(word && isMemberAccess(word));
  const plain = wordAtMarker('\tret = sock_recvmsg_nosec/*@here*/(sock);');
  assert.equal(plain?.name, 'sock_recvmsg_nosec');
  assert.ok(plain && !isMemberAccess(plain));
});

test('a cursor right after an identifier still finds it; numbers, spaces and line ends find nothing', () => {
  assert.equal(wordAt('foo(bar)', 3)?.name, 'foo');
  assert.equal(wordAt('x = 42;', 5), undefined);
  assert.equal(wordAt('a  b', 2), undefined);
  assert.equal(wordAt('abc', 99), undefined);
  assert.equal(wordAt('', 0), undefined);
});

test('a span contains its end', () => {
  const span = { line: 3, column: 4, endLine: 3, endColumn: 11 };
  assert.ok(spanContains(span, 3, 4));
  assert.ok(spanContains(span, 3, 11));
  assert.ok(!spanContains(span, 3, 12));
  assert.ok(!spanContains(span, 2, 5));
});
