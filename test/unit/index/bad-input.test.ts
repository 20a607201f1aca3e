import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runKnr } from '../../../server/src/cli/knr';
import { FileIndexer, limits, readBufferBytes } from '../../../server/src/index/file-indexer';
import { checkKernelTree } from '../../../server/src/index/kernel-tree';
import { openIndexWithSummary } from '../../../server/src/index/open';
import { indexFilePath } from '../../../server/src/index/persist';
import { DamagedIndexError } from '../../../server/src/index/piece-reader';
import { sectionInFile } from '../../support/index-file';
import { repoRoot } from '../../support/prerequisites';

const fixture = join(repoRoot, 'test', 'fixtures', 'index-tree');

/** Runs `body` with a cache folder of its own, removed afterwards. */
async function withOwnCache(prefix: string, body: (cache: string) => Promise<void>): Promise<void> {
  const cache = mkdtempSync(join(tmpdir(), prefix));
  try {
    await body(cache);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

describe('bad input to the indexer', () => {
  let root: string;
  let cache: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'knr-bad-tree-'));
    cache = mkdtempSync(join(tmpdir(), 'knr-bad-cache-'));
    cpSync(fixture, root, { recursive: true });
    writeFileSync(join(root, 'net', 'binary.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    writeFileSync(
      join(root, 'net', 'latin1.c'),
      Buffer.from('/* caf\xe9 */\nint latin1_fn(void) { return 0; }\n', 'latin1'),
    );
    // A generated 50 MB file: read lexically for #defines, never parsed. Its one declaration makes
    // it more than macros (a 'lexical-only' problem); the macro-only copy is no problem at all.
    const line = '#define GENERATED_REGISTER_%d 0x%d\n';
    const lines: string[] = [];
    for (let i = 0, length = 0; length < 1 << 20; i++) {
      lines.push(line.replaceAll('%d', String(i)));
      length += lines[i].length;
    }
    const chunk = lines.join('');
    const registers = chunk.repeat(Math.ceil((50 << 20) / chunk.length));
    writeFileSync(
      join(root, 'include', 'linux', 'generated.h'),
      `extern int generated_table[];\n${registers}`,
    );
    writeFileSync(
      join(root, 'include', 'linux', 'generated_sh_mask.h'),
      registers.replaceAll('GENERATED_', 'MASK_'),
    );
    mkdirSync(join(root, 'net', 'loop'));
    symlinkSync('..', join(root, 'net', 'loop', 'up'));
    symlinkSync(join(root, 'net', 'socket.c'), join(root, 'net', 'link.c'));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  test('each problem is counted with a reason; the rest is indexed', async () => {
    const { index, summary } = await openIndexWithSummary(root, { cache });
    assert.equal(summary.problems.binary?.count, 1);
    assert.match(summary.problems.binary!.examples[0], /net\/binary\.c/);
    assert.equal(summary.problems['invalid-utf8']?.count, 1);
    assert.equal(summary.problems['lexical-only']?.count, 1);
    assert.ok(summary.symlinksSkipped >= 2, `symlinks: ${summary.symlinksSkipped}`);
    assert.equal(index.evaluateConstant('GENERATED_REGISTER_7'), 7);
    assert.equal(index.evaluateConstant('MASK_REGISTER_9'), 9, 'a big macro-only file is read in full');
    assert.equal(
      index.definitions('latin1_fn').length,
      1,
      'invalid UTF-8 is replaced, the file still indexed',
    );
    assert.ok(index.implementations('proto_ops', 'recvmsg').length > 0);
  });

  test('a file that vanished between listing and reading is reported, not fatal', async () => {
    const indexer = await FileIndexer.create();
    const outcome = indexer.indexFile(join(root, 'net', 'gone.c'), 'net/gone.c');
    assert.equal(outcome.problem?.kind, 'vanished');
  });

  test('files are read whole one after another, below, at and above the size of the read buffer', async () => {
    const indexer = await FileIndexer.create();
    // file-indexer.ts reads into one reused buffer and falls back past it.
    const macroOnlyText = (bytes: number): string => {
      const lines: string[] = [];
      let length = 0;
      for (let i = 0; length + 40 < bytes; i++) {
        lines.push(`#define SIZED_${i} ${i}\n`);
        length += lines[i].length;
      }
      return lines.join('').padEnd(bytes - 1, ' ') + '\n';
    };
    const sizes = [100, readBufferBytes - 1, readBufferBytes, readBufferBytes + 1, 2 * readBufferBytes, 100];
    sizes.forEach((bytes, i) => {
      const path = join(root, 'include', `sized_${i}.h`);
      const text = macroOnlyText(bytes);
      writeFileSync(path, text);
      const outcome = indexer.indexFile(path, `include/sized_${i}.h`);
      assert.equal(outcome.size, bytes);
      assert.equal(outcome.problem, undefined, `${bytes} bytes`);
      const expected = text.match(/^#define/gm)!.length;
      assert.equal(outcome.facts?.macros.length, expected, `${bytes} bytes: every #define, none left over`);
      assert.equal(outcome.facts?.macros.at(-1)?.name, `SIZED_${expected - 1}`);
    });
  });

  test('a parse over the time cap gives up and keeps the #defines', async () => {
    const indexer = await FileIndexer.create();
    const saved = limits.parseMilliseconds;
    limits.parseMilliseconds = 0;
    try {
      const path = join(root, 'net', 'socket.c');
      const outcome = indexer.indexFile(path, 'net/socket.c');
      assert.equal(outcome.problem?.kind, 'parse-timeout');
    } finally {
      limits.parseMilliseconds = saved;
    }
  });

  test('a folder that is not a kernel tree is refused, naming what is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'knr-not-a-tree-'));
    try {
      assert.throws(() => checkKernelTree(join(empty, 'nowhere')), /does not exist/);
      assert.throws(() => checkKernelTree(empty), /has no top-level Makefile/);
      writeFileSync(join(empty, 'Makefile'), 'all:\n');
      assert.throws(() => checkKernelTree(empty), /sets no VERSION and PATCHLEVEL/);
      writeFileSync(join(empty, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 1\n');
      assert.throws(() => checkKernelTree(empty), /has no include\/linux\/ folder/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the persisted index is never trusted when damaged', () => {
  let cache: string;
  before(() => (cache = mkdtempSync(join(tmpdir(), 'knr-persist-'))));
  after(() => rmSync(cache, { recursive: true, force: true }));

  const damage: [string, (bytes: Buffer) => Buffer][] = [
    ['truncated', (bytes) => bytes.subarray(0, bytes.length - 100)],
    [
      'random bytes in the payload',
      (bytes) => {
        const copy = Buffer.from(bytes);
        for (let i = copy.length - 50; i < copy.length; i++) copy[i] = (copy[i] + 1) & 0xff;
        return copy;
      },
    ],
    ['random bytes everywhere', (bytes) => Buffer.from(bytes.map((_, i) => (i * 7919) & 0xff))],
    [
      'written by another tool version',
      (bytes) =>
        Buffer.from(
          bytes.toString('latin1').replace(/"toolVersion":"[^"]*"/, '"toolVersion":"0.0.0-old"'),
          'latin1',
        ),
    ],
  ];

  for (const [name, corrupt] of damage) {
    test(`${name}: detected, rebuilt, same answers`, async () => {
      // A cache of its own: an index loaded earlier may still be checking this file in the background,
      // and would take the bytes changed in place below for damage.
      await withOwnCache('knr-damaged-', async (own) => {
        const first = await openIndexWithSummary(fixture, { cache: own });
        assert.match(first.summary.cache, /^missing, saved/);
        const file = indexFilePath(own, first.index.root);
        writeFileSync(file, corrupt(readFileSync(file)));
        const second = await openIndexWithSummary(fixture, { cache: own });
        assert.match(second.summary.cache, /^rebuilt: /);
        assert.equal(second.summary.parsed, second.summary.files);
        assert.deepEqual(
          second.index.implementations('proto_ops', 'recvmsg').map((i) => i.function),
          first.index.implementations('proto_ops', 'recvmsg').map((i) => i.function),
        );
        const third = await openIndexWithSummary(fixture, { cache: own });
        assert.equal(third.summary.cache, 'loaded');
      });
    });
  }

  test('damage in a fact table is found on first use: while summarising, the open rebuilds; in a query, the query fails and the file goes', async () => {
    await withOwnCache('knr-damaged-later-', async (own) => {
      const first = await openIndexWithSummary(fixture, { cache: own });
      const file = indexFilePath(own, first.index.root);
      const flipIn = (section: string) => {
        const bytes = readFileSync(file);
        bytes[sectionInFile(bytes, section).position] ^= 0xff;
        writeFileSync(file, bytes);
      };

      // Every call row is counted in the summary (as knr index asks for it).
      flipIn('table.calls');
      const second = await openIndexWithSummary(fixture, { cache: own, countFacts: true });
      assert.match(second.summary.cache, /^rebuilt: .*section table\.calls .*fails its checksum/);
      assert.equal(second.summary.parsed, second.summary.files);

      // Signatures and comments are read by queries only.
      flipIn('text');
      let reported: (reason: string) => void = () => undefined;
      const damageReported = new Promise<string>((resolve) => (reported = resolve));
      const third = await openIndexWithSummary(fixture, { cache: own, onDamaged: reported });
      assert.equal(third.summary.cache, 'loaded');
      assert.throws(() => third.index.definitions('packet_recvmsg'), DamagedIndexError);
      assert.match(await damageReported, /section text .*fails its checksum; the file is removed/);
      assert.equal(existsSync(file), false);
      const fourth = await openIndexWithSummary(fixture, { cache: own });
      assert.match(fourth.summary.cache, /^missing, saved/);
      assert.deepEqual(
        fourth.index.definitions('packet_recvmsg').map((d) => d.file),
        first.index.definitions('packet_recvmsg').map((d) => d.file),
      );
    });
  });

  test('a query command that reads a damaged piece says so, indexes the tree again and answers', async () => {
    await withOwnCache('knr-damaged-query-', async (own) => {
      const impls = async () => {
        let stdout = '';
        let stderr = '';
        const argv = ['impls', 'proto_ops.recvmsg', '--kernel', fixture, '--cache', own, '--json'];
        const status = await runKnr(argv, {
          out: (text) => (stdout += text),
          err: (text) => (stderr += text),
          isTTY: false,
        });
        return { status, stderr, results: (JSON.parse(stdout) as { results: unknown[] }).results };
      };
      const first = await impls();
      assert.ok(first.results.length > 0);
      const file = indexFilePath(own, realpathSync(fixture));
      const bytes = readFileSync(file);
      // impls reads the table slots (and no text: signatures are read only when shown).
      bytes[sectionInFile(bytes, 'table.slots').position] ^= 0xff;
      writeFileSync(file, bytes);
      const second = await impls();
      assert.equal(second.status, 0);
      assert.match(second.stderr, /section table\.slots .*fails its checksum.*indexing the tree again/);
      assert.deepEqual(second.results, first.results);
    });
  });

  test('an index file that cannot be read is rebuilt, with the reason; no file at all is missing', async () => {
    await withOwnCache('knr-unreadable-', async (fresh) => {
      const first = await openIndexWithSummary(fixture, { cache: fresh });
      assert.match(first.summary.cache, /^missing, saved/);
      const file = indexFilePath(fresh, first.index.root);
      rmSync(file);
      mkdirSync(file);
      const second = await openIndexWithSummary(fixture, { cache: fresh });
      assert.match(second.summary.cache, /^rebuilt: .* could not be read: .*EISDIR/);
      assert.deepEqual(
        second.index.implementations('proto_ops', 'recvmsg').map((i) => i.function),
        first.index.implementations('proto_ops', 'recvmsg').map((i) => i.function),
      );
    });
  });

  test('a save that fails (a full disk) says so, and leaves the saved index whole and no temporary file', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'knr-full-disk-'));
    try {
      cpSync(fixture, tree, { recursive: true });
      const first = await openIndexWithSummary(tree, { cache });
      const file = indexFilePath(cache, first.index.root);
      const saved = readFileSync(file);
      writeFileSync(join(tree, 'net', 'added.c'), 'int added_function(void) { return 0; }\n');
      // The writer's temporary file, planted as a link to a device that is always full.
      const temporary = `${file}.${process.pid}.tmp`;
      symlinkSync('/dev/full', temporary);
      const second = await openIndexWithSummary(tree, { cache });
      assert.match(second.summary.cache, /not saved: .*ENOSPC/);
      assert.equal(second.index.definitions('added_function').length, 1);
      assert.deepEqual(readFileSync(file), saved);
      assert.equal(existsSync(temporary), false);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
