import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messagesFor } from '../../server/src/l10n';
import { parseKernelDoc, renderDoc } from '../../server/src/lsp/kernel-doc';

const comment = `/**
 * sample_recv() - take one frame off a queue
 * @sock: the socket
 * @flags: receive flags,
 *	continued on the next line
 *
 * Longer description of what happens,
 * over two lines.
 *
 * Return: bytes copied, or a negative errno.
 */`;

test('a kernel-doc comment is split into summary, parameters, description and sections', () => {
  const doc = parseKernelDoc(comment);
  assert.ok(doc);
  assert.equal(doc.summary, 'take one frame off a queue');
  assert.deepEqual(
    doc.params.map((p) => [p.name, p.text]),
    [
      ['sock', 'the socket'],
      ['flags', 'receive flags, continued on the next line'],
    ],
  );
  assert.deepEqual(doc.description, ['Longer description of what happens, over two lines.']);
  assert.deepEqual(doc.sections, [{ title: 'Return', text: 'bytes copied, or a negative errno.' }]);
});

test('rendered Markdown uses the catalogue of the chosen language for its headings', () => {
  const en = renderDoc(comment, messagesFor('en'));
  assert.match(en, /\*\*Parameters\*\*\n\n- `sock`: the socket/);
  assert.match(en, /\*\*Returns\*\*: bytes copied/);
  const zh = renderDoc(comment, messagesFor('zh-cn'));
  assert.match(zh, /\*\*参数\*\*/);
  assert.match(zh, /\*\*返回值\*\*: bytes copied/);
});

test('a plain comment is shown as its text, without comment markers', () => {
  assert.equal(
    renderDoc('/* Just a note\n * about this. */', messagesFor('en')),
    'Just a note  \nabout this.',
  );
  assert.equal(renderDoc('// one line', messagesFor('en')), 'one line');
  assert.equal(renderDoc(undefined, messagesFor('en')), '');
});
