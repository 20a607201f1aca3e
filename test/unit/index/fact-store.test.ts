import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { emptyFileFacts, type FileFacts } from '../../../server/src/index/facts';
import { loadPersistedIndex, writePersistedIndex } from '../../../server/src/index/persist';
import { DamagedIndexError } from '../../../server/src/index/piece-reader';
import { FactStore } from '../../../server/src/index/store/fact-store';
import { StringPool } from '../../../server/src/index/store/string-pool';
import { unpackPiece } from '../../../server/src/index/store/packed-piece';
import { TextBlob } from '../../../server/src/index/store/text-blob';
import { sectionInFile } from '../../support/index-file';

const span = (line: number, column: number, endLine = line, endColumn = column + 4) => ({
  line,
  column,
  endLine,
  endColumn,
});

/** The file of each slot row whose field is `field`, as a lookup by name finds them. */
const filesOfSlotsNamed = (store: FactStore, field: string): string[] =>
  store.rowsNamed('slots', 'fieldName', field).map((row) => store.path(store.slotOfRow('slots', row)));

/** One file with every kind of fact, optional parts both present and absent, and non-ASCII text. */
function sampleFacts(file: string): FileFacts {
  return {
    ...emptyFileFacts(file),
    functions: [
      {
        name: 'packet_recvmsg',
        span: span(10, 0, 40, 1),
        nameSpan: span(10, 11),
        isStatic: true,
        isDefinition: true,
        signature: 'static int packet_recvmsg(struct socket *sock)',
        doc: '/** 收包 — receive */',
      },
      {
        name: 'helper',
        span: span(50, 0),
        nameSpan: span(50, 4),
        isStatic: false,
        isDefinition: false,
        signature: 'int helper(void)',
      },
    ],
    structs: [
      {
        name: 'proto_ops',
        kind: 'struct',
        span: span(1, 0, 8, 2),
        nameSpan: span(1, 7),
        fields: [
          {
            name: 'recvmsg',
            nameSpan: span(2, 8),
            type: 'int (*)(struct socket *)',
            isFunctionPointer: true,
          },
          {
            name: 'owner',
            nameSpan: span(3, 8),
            type: 'struct module *',
            typeTag: 'module',
            isFunctionPointer: false,
          },
        ],
      },
    ],
    typedefs: [{ name: 'u8', nameSpan: span(0, 20), type: 'unsigned char' }],
    enumConstants: [
      { name: 'SS_FREE', nameSpan: span(60, 1), index: 0, enumName: 'socket_state' },
      { name: 'SS_UNCONNECTED', nameSpan: span(61, 1), index: 1, valueText: '1' },
    ],
    macros: [{ name: 'AF_PACKET', nameSpan: span(70, 8, 70, 17), value: '17' }],
    variables: [
      {
        name: 'packet_ops',
        nameSpan: span(80, 30),
        isStatic: true,
        isDeclarationOnly: false,
        type: 'const struct proto_ops',
        typeTag: 'proto_ops',
        isArray: false,
      },
    ],
    tables: [
      {
        name: 'packet_ops',
        struct: 'proto_ops',
        nameSpan: span(80, 30),
        span: span(80, 0, 90, 2),
        isStatic: true,
        isArray: false,
        elements: 0,
      },
    ],
    slots: [
      {
        table: 'packet_ops',
        struct: 'proto_ops',
        field: 'recvmsg',
        value: 'packet_recvmsg',
        addressOf: false,
        span: span(81, 1),
        recovered: false,
      },
      {
        table: 'inetsw_array',
        struct: 'inet_protosw',
        element: 2,
        field: 'ops.recvmsg',
        value: 'inet_sockraw_ops',
        addressOf: true,
        span: span(82, 1),
        recovered: true,
      },
    ],
    bindings: [
      {
        function: 'packet_create',
        target: { root: 'socket', fields: [] },
        field: 'ops',
        value: 'packet_ops',
        addressOf: true,
        span: span(100, 2),
      },
    ],
    registrations: [
      { function: 'packet_init', registrar: 'sock_register', value: 'packet_family_ops', span: span(110, 1) },
    ],
    calls: [
      { caller: 'packet_recvmsg', line: 20, column: 4, callee: 'skb_recv_datagram' },
      {
        caller: 'packet_recvmsg',
        line: 21,
        column: 20,
        callee: 'recvmsg',
        receiver: { returnedBy: 'pkt_sk', fields: ['sk', 'sk_prot'] },
        via: 'INDIRECT_CALL_INET',
      },
      {
        caller: 'packet_recvmsg',
        line: 22,
        column: 8,
        callee: 'ioctl',
        receiver: { global: 'gops', fields: [] },
      },
    ],
    parseErrors: 3,
  };
}

describe('fact store', () => {
  test('a file decodes to the facts it was given, optional parts absent where they were', () => {
    const store = new FactStore();
    store.append({
      file: 'net/packet/af_packet.c',
      mtimeMs: 12.5,
      size: 99,
      facts: sampleFacts('net/packet/af_packet.c'),
    });
    const slot = store.slotOf('net/packet/af_packet.c')!;
    assert.deepEqual(store.facts(slot), sampleFacts('net/packet/af_packet.c'));
    assert.deepEqual(store.entry(slot, false), { file: 'net/packet/af_packet.c', mtimeMs: 12.5, size: 99 });
  });

  test('lookups by name find rows; a replaced file is found once, at its new version', () => {
    const store = new FactStore();
    store.append({ file: 'a.c', mtimeMs: 1, size: 1, facts: sampleFacts('a.c') });
    store.append({ file: 'b.c', mtimeMs: 1, size: 1, facts: sampleFacts('b.c') });
    assert.equal(store.rowsNamed('slots', 'fieldName', 'recvmsg').length, 4);
    assert.equal(store.rowsNamed('calls', 'callee', 'recvmsg').length, 2);
    assert.deepEqual(store.rowsNamed('functions', 'name', 'no_such_function'), []);
    const replaced = { ...sampleFacts('a.c'), slots: [] };
    store.append({ file: 'a.c', mtimeMs: 2, size: 1, facts: replaced });
    assert.deepEqual(filesOfSlotsNamed(store, 'recvmsg'), ['b.c', 'b.c']);
    store.remove('b.c');
    assert.equal(store.hasNamed('slots', 'fieldName', 'recvmsg'), false);
    assert.deepEqual([...store.files()], ['a.c']);
    assert.ok(store.deadShare() > 0.5);
    const compact = store.compact();
    assert.equal(compact.deadShare(), 0);
    assert.deepEqual(compact.facts(compact.slotOf('a.c')!), replaced);
  });

  test('a batch appended from its flat arrays keeps every fact, strings renumbered', () => {
    const target = new FactStore();
    target.append({
      file: 'first.c',
      mtimeMs: 1,
      size: 1,
      facts: {
        ...emptyFileFacts('first.c'),
        macros: [{ name: 'X', nameSpan: span(0, 8, 0, 9), value: '1' }],
      },
    });
    const batch = new FactStore();
    batch.append({ file: 'net/x.c', mtimeMs: 3, size: 4, facts: sampleFacts('net/x.c') });
    batch.append({
      file: 'bad.bin',
      mtimeMs: 5,
      size: 6,
      problem: { file: 'bad.bin', kind: 'binary', detail: 'NUL bytes' },
    });
    target.appendStore(new FactStore(batch.sections()));
    assert.deepEqual(target.facts(target.slotOf('net/x.c')!), sampleFacts('net/x.c'));
    assert.deepEqual(target.entry(target.slotOf('bad.bin')!), {
      file: 'bad.bin',
      mtimeMs: 5,
      size: 6,
      problem: { file: 'bad.bin', kind: 'binary', detail: 'NUL bytes' },
    });
    assert.equal(target.rowsNamed('macros', 'name', 'AF_PACKET').length, 1);
    assert.equal(target.rowsNamed('macros', 'name', 'X').length, 1);
  });

  test('#define names sharing their first bytes with the row before are stored once and read back whole', () => {
    const family = Array.from({ length: 40 }, (_, i) => `mmSDMA0_RLC0_RB_CNTL__FIELD_${i}__SHIFT`);
    const names = [
      ...family,
      'mmSDMA0_RLC0', // a prefix of the name before
      'mmSDMA0_RLC0', // the same name twice (#ifdef variants)
      'REG_\u00e9_A', // non-ASCII bytes are never shared
      'REG_\u00e9_B',
      '',
    ];
    const macros = names.map((name, i) => ({
      name,
      nameSpan: span(i, 8, i, 8 + name.length),
      value: `${i}`,
    }));
    const facts = (file: string): FileFacts => ({ ...emptyFileFacts(file), macros });
    const store = new FactStore();
    store.append({ file: 'regs_a.h', mtimeMs: 1, size: 1, facts: facts('regs_a.h') });
    store.append({ file: 'regs_b.h', mtimeMs: 1, size: 1, facts: facts('regs_b.h') });
    const nameBytes = names.reduce((sum, name) => sum + Buffer.byteLength(name), 0);
    assert.ok(
      store.text.length < nameBytes,
      `${store.text.length} bytes stored for ${2 * nameBytes} of names`,
    );

    const target = new FactStore();
    target.append({ file: 'first.h', mtimeMs: 1, size: 1, facts: facts('first.h') });
    target.appendStore(new FactStore(store.sections()));
    // The store holds two copies of the file's macros; the target and its compaction three.
    for (const [candidate, copies] of [
      [store, 2],
      [target, 3],
      [target.compact(), 3],
    ] as const) {
      for (const file of ['regs_a.h', 'regs_b.h'])
        assert.deepEqual(candidate.facts(candidate.slotOf(file)!), facts(file), file);
      for (const name of new Set(names)) {
        const values = candidate
          .rowsNamed('macros', 'name', name)
          .map((row) => candidate.decode('macros', row).value);
        const expected = names.flatMap((other, i) => (other === name ? [`${i}`] : []));
        assert.deepEqual(
          values.sort(),
          Array.from({ length: copies }, () => expected)
            .flat()
            .sort(),
          name,
        );
      }
      const listed: string[] = [];
      candidate.forEachName('macros', 'name', (name) => listed.push(name));
      assert.deepEqual(listed, Array.from({ length: copies }, () => names).flat());
    }
  });

  test("a loaded row's texts (signature, comment) are read from the blob only when read", () => {
    const built = new FactStore();
    built.append({ file: 'a.c', mtimeMs: 1, size: 1, facts: sampleFacts('a.c') });
    const used: string[] = [];
    const loaded = new FactStore(built.sections(), (section) => used.push(section));
    const [row] = loaded.rowsNamed('functions', 'name', 'packet_recvmsg');
    const fact = loaded.decode('functions', row);
    assert.equal(fact.name, 'packet_recvmsg');
    assert.deepEqual(used, ['table.functions'], 'no text read by decoding');
    assert.equal(fact.doc, '/** 收包 — receive */');
    assert.deepEqual(used, ['table.functions', 'text']);
    // Read once, the text is a plain property: written over, spread and compared like any other.
    fact.signature = 'int other(void)';
    assert.equal({ ...fact }.signature, 'int other(void)');
    assert.deepEqual(loaded.facts(loaded.slotOf('a.c')!), sampleFacts('a.c'));
    assert.match(JSON.stringify(loaded.decode('functions', row)), /"signature":"static int packet_recvmsg\(/);
  });

  test("with files hidden or removed, a lookup by name leaves their rows out without reading the table's rows", () => {
    const built = new FactStore();
    for (const file of ['a.c', 'b.c', 'c.c'])
      built.append({ file, mtimeMs: 1, size: 1, facts: sampleFacts(file) });
    // As a saved file holds them: the tables, and each sorted index with its rows' keys.
    const saved = {
      ...built.sections(),
      ...Object.fromEntries(
        built.indexSections().flatMap(([name, index]) => [
          [name, index.merged()],
          [`${name}.keys`, index.mergedKeys()],
        ]),
      ),
    };
    const used: string[] = [];
    const loaded = new FactStore(saved, (section) => used.push(section));
    loaded.hide('a.c');
    loaded.remove('c.c');
    assert.equal(loaded.hasNamed('slots', 'fieldName', 'recvmsg'), true);
    assert.equal(loaded.rowsNamed('slots', 'fieldName', 'recvmsg').length, 2);
    assert.equal(loaded.rowsNamed('functions', 'name', 'packet_recvmsg').length, 1);
    assert.deepEqual(used, [], 'no fact table read to tell which rows are live');
    assert.deepEqual(filesOfSlotsNamed(loaded, 'recvmsg'), ['b.c', 'b.c']);
    loaded.hide('b.c');
    assert.equal(loaded.hasNamed('slots', 'fieldName', 'recvmsg'), false);
  });

  test('a loaded fact table is read into memory when first used, after its background check', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'knr-store-'));
    try {
      const store = new FactStore();
      store.append({ file: 'a.c', mtimeMs: 1, size: 1, facts: sampleFacts('a.c') });
      const path = join(folder, 'index.bin');
      await writePersistedIndex(path, '/tree', 'test', store);
      const loaded = await loadPersistedIndex(path, '/tree', 'test');
      assert.equal(loaded.status, 'loaded');
      if (loaded.status !== 'loaded') return;
      // The reader's worker does not keep the process alive (a finished command must not wait): a timer does.
      const waiting = setInterval(() => undefined, 1000);
      await loaded.checked.finally(() => clearInterval(waiting));
      // Checked whole, but not kept: the first use reads the file (the same one, open) and checks again.
      const bytes = readFileSync(path);
      bytes[sectionInFile(bytes, 'table.slots').position] ^= 0xff;
      writeFileSync(path, bytes);
      assert.throws(() => loaded.store.facts(0), DamagedIndexError);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('saved and loaded, a store answers the same; a flipped byte is caught', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'knr-store-'));
    try {
      const store = new FactStore();
      for (let i = 0; i < 50; i++)
        store.append({ file: `f${i}.c`, mtimeMs: i, size: i, facts: sampleFacts(`f${i}.c`) });
      const path = join(folder, 'index.bin');
      await writePersistedIndex(path, '/tree', 'test', store);
      const loaded = await loadPersistedIndex(path, '/tree', 'test');
      assert.equal(loaded.status, 'loaded');
      if (loaded.status !== 'loaded') return;
      assert.deepEqual(loaded.store.facts(loaded.store.slotOf('f7.c')!), sampleFacts('f7.c'));
      assert.equal(loaded.store.rowsNamed('functions', 'name', 'packet_recvmsg').length, 50);
      loaded.store.append({ file: 'new.c', mtimeMs: 1, size: 1, facts: sampleFacts('new.c') });
      assert.equal(loaded.store.rowsNamed('functions', 'name', 'packet_recvmsg').length, 51);

      const bytes = readFileSync(path);
      bytes[bytes.length - 100] ^= 0xff;
      writeFileSync(path, bytes);
      const damaged = await loadPersistedIndex(path, '/tree', 'test');
      assert.equal(damaged.status, 'rebuilt');
      assert.match(damaged.status === 'rebuilt' ? damaged.reason : '', /checksum/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

test('columns and texts past one chunk (1 Mi integers, 4 MiB of text) keep every row across save and load', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'knr-store-'));
  try {
    const store = new FactStore();
    // Two names in a row start alike (front-coded), the next pair differently.
    const name = (i: number) => `${String.fromCharCode(65 + ((i >> 1) % 26))}${'X'.repeat(i % 40)}_REG_${i}`;
    const macro = (i: number) => ({
      name: name(i),
      nameSpan: span(i, 8, i, 8 + name(i).length),
      value: `0x${i.toString(16)}`,
    });
    const perFile = 25_000;
    for (let file = 0; file < 10; file++) {
      const macros = Array.from({ length: perFile }, (_, i) => macro(file * perFile + i));
      store.append({
        file: `regs${file}.h`,
        mtimeMs: 0,
        size: 0,
        facts: { ...emptyFileFacts(`regs${file}.h`), macros },
      });
    }
    const path = join(folder, 'index.bin');
    await writePersistedIndex(path, '/tree', 'test', store);
    const loaded = await loadPersistedIndex(path, '/tree', 'test');
    assert.equal(loaded.status, 'loaded');
    if (loaded.status !== 'loaded') return;
    for (const candidate of [store, loaded.store]) {
      for (const i of [0, 1, 99_999, 131_071, 150_000, 249_999]) {
        const [row] = candidate.rowsNamed('macros', 'name', macro(i).name);
        assert.deepEqual(candidate.decode('macros', row), macro(i), `macro ${i}`);
      }
    }
    loaded.store.append({
      file: 'more.h',
      mtimeMs: 0,
      size: 0,
      facts: { ...emptyFileFacts('more.h'), macros: [macro(250_000)] },
    });
    const [row] = loaded.store.rowsNamed('macros', 'name', macro(250_000).name);
    assert.deepEqual(loaded.store.decode('macros', row), macro(250_000));

    assert.equal(await loaded.checked, undefined, 'every piece of the saved file passes its check');

    // Each 4 MiB piece of a section has its digest. The sections every load needs (the string pool
    // and the sorted indexes) are checked before the load says 'loaded'; the fact tables and texts,
    // stored deflated, when first used or read in the background. Either way a flipped byte is never
    // used, and the file is removed so that the next start rebuilds it.
    const bytes = readFileSync(path);
    const [, header] = bytes.toString('latin1').split('\n', 2);
    const sections = (JSON.parse(header) as { sections: { name: string; byteLength: number }[] }).sections;
    const inMemory = sections.reduce((sum, section) => sum + section.byteLength, 0);
    assert.ok(inMemory > 3 * 4 * 1024 * 1024, `${inMemory} bytes span several pieces`);
    const macros = sections.find((section) => section.name === 'table.macros')!.byteLength;
    const storedMacros = sectionInFile(bytes, 'table.macros').length;
    assert.ok(storedMacros < macros / 2, `#define rows: ${storedMacros} bytes in the file for ${macros}`);
    const middleOf = (section: string) => {
      const { position, length } = sectionInFile(bytes, section);
      return position + Math.floor(length / 2);
    };
    const outcomes = new Set<string>();
    for (const at of [
      sectionInFile(bytes, 'pool.bytes').position,
      middleOf('table.macros'),
      middleOf('text'),
      bytes.length - 100,
    ]) {
      bytes[at] ^= 0xff;
      writeFileSync(path, bytes);
      const damaged = await loadPersistedIndex(path, '/tree', 'test');
      if (damaged.status === 'loaded') {
        assert.throws(
          () => [...damaged.store.liveSlots()].forEach((slot) => damaged.store.facts(slot)),
          (error: Error) => error instanceof DamagedIndexError && /fails its checksum/.test(error.message),
          `byte ${at} flipped`,
        );
        await assert.rejects(damaged.checked, DamagedIndexError);
        assert.equal(existsSync(path), false, 'the damaged file is removed');
        outcomes.add('caught on use');
      } else {
        assert.equal(damaged.status, 'rebuilt', `byte ${at} flipped`);
        outcomes.add('caught on load');
      }
      bytes[at] ^= 0xff;
    }
    assert.deepEqual([...outcomes].sort(), ['caught on load', 'caught on use']);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

describe('string pool', () => {
  test('frozen and added strings are found by text, including non-ASCII and empty strings', () => {
    const pool = new StringPool();
    const words = ['', 'sock', 'sk_prot', '网络', 'a'.repeat(300)];
    const ids = words.map((word) => pool.intern(word));
    const frozen = new StringPool(pool.freeze());
    words.forEach((word, i) => assert.equal(frozen.find(word), ids[i]));
    assert.equal(frozen.find('missing'), -1);
    const added = frozen.intern('missing');
    assert.equal(added, words.length);
    assert.equal(frozen.get(added), 'missing');
    assert.equal(frozen.get(ids[3]), '网络');
    const long = 'b'.repeat(400);
    const longId = frozen.intern(long);
    assert.equal(frozen.find(long), longId);
    assert.equal(new StringPool(frozen.freeze()).get(longId), long);
  });

  test('strings copied from another pool as bytes keep their ids through growth; a frozen view never changes', () => {
    const batch = new StringPool();
    const words = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? `网络_${i}` : `name_${i}`));
    words.forEach((word) => batch.intern(word));
    const loadedBatch = new StringPool(batch.freeze());
    const pool = new StringPool();
    pool.intern('name_3');
    const snapshot = pool.freeze();
    const slotsBefore = snapshot.slots.slice();
    const ids = words.map((_, id) => pool.internFrom(loadedBatch, id));
    assert.deepEqual(snapshot.slots, slotsBefore);
    assert.equal(ids[3], 0, 'a string the pool had keeps its id');
    words.forEach((word, i) => {
      assert.equal(pool.get(ids[i]), word);
      assert.equal(pool.find(word), ids[i]);
      assert.equal(pool.internFrom(loadedBatch, i), ids[i], 'copying again adds nothing');
    });
    assert.equal(pool.size, words.length);
  });
});

test('a store built from batches saves its full text chunks packed; loaded, it answers the same', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'knr-store-'));
  try {
    // Kernel-doc comments of 40 KiB, unlike each other: 300 of them fill two text chunks and start a third.
    const doc = (i: number) => `/** ${i}: ${'receive and queue '.repeat(2300)}${i.toString(36)} */`;
    const facts = (i: number): FileFacts => {
      const sample = sampleFacts(`f${i}.c`);
      sample.functions[0] = { ...sample.functions[0], doc: doc(i) };
      return sample;
    };
    const store = new FactStore();
    for (let first = 0; first < 300; first += 20) {
      const batch = new FactStore();
      for (let i = first; i < first + 20; i++)
        batch.append({ file: `f${i}.c`, mtimeMs: i, size: i, facts: facts(i) });
      store.appendStore(new FactStore(batch.sections()));
    }
    await store.text.whenPacked();
    const pieces = store.text.savedPieces();
    assert.ok(pieces.length >= 3);
    assert.ok(
      pieces.slice(0, -1).every((piece) => !(piece instanceof Uint8Array)),
      'every full chunk is packed',
    );
    assert.ok(pieces.at(-1) instanceof Uint8Array, 'the last chunk, still filling, is not');
    const path = join(folder, 'index.bin');
    await writePersistedIndex(path, '/tree', 'test', store);
    const loaded = await loadPersistedIndex(path, '/tree', 'test');
    assert.equal(loaded.status, 'loaded');
    if (loaded.status !== 'loaded') return;
    // The reader's worker does not keep the process alive: a timer does.
    const waiting = setInterval(() => undefined, 1000);
    assert.equal(
      await loaded.checked.finally(() => clearInterval(waiting)),
      undefined,
      'every piece, packed ones included, passes its check',
    );
    for (const candidate of [loaded.store, store])
      for (let i = 0; i < 300; i++) assert.deepEqual(candidate.facts(candidate.slotOf(`f${i}.c`)!), facts(i));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

describe('text blob', () => {
  test('full chunks, once packed, read back whole and are saved as packed; the last one stays as it is', async () => {
    const chunk = 4 * 1024 * 1024;
    const batch = new TextBlob();
    const texts = Array.from({ length: 700 }, (_, i) => `${i} ${'ops table '.repeat(1500)} ${i}`);
    const places = texts.map((text) => batch.append(text));
    const blob = new TextBlob();
    const starts = blob.appendBlob(batch);
    blob.packFullChunks();
    const before = blob.filledChunks().map((bytes) => Buffer.from(bytes));
    await blob.whenPacked();
    const pieces = blob.savedPieces();
    assert.equal(pieces.length, Math.ceil(blob.length / chunk));
    pieces.forEach((piece, i) => {
      const last = i === pieces.length - 1;
      assert.equal(piece instanceof Uint8Array, last, `piece ${i}`);
      const bytes = piece instanceof Uint8Array ? piece : unpackPiece(piece);
      assert.ok(Buffer.from(bytes).equals(before[i]), `piece ${i} holds the chunk's bytes`);
      if (!(piece instanceof Uint8Array)) assert.ok(piece.stored.byteLength < piece.byteLength / 4);
    });
    texts.forEach((text, i) =>
      assert.equal(blob.get(TextBlob.movedOffset(starts, places[i][0]), places[i][1]), text),
    );
  });

  test('a blob appended to another keeps every text, an empty one at the end of a full chunk included', () => {
    const chunk = 4 * 1024 * 1024;
    const batch = new TextBlob();
    const full = batch.append('a'.repeat(chunk));
    const empty = batch.append('');
    assert.deepEqual(full, [0, chunk]);
    assert.deepEqual(empty, [chunk, 0], 'the empty text sits where no chunk is yet');
    const blob = new TextBlob();
    blob.append('x');
    const starts = blob.appendBlob(batch);
    const moved = ([offset, length]: [number, number]) =>
      blob.get(TextBlob.movedOffset(starts, offset), length);
    assert.equal(moved(full), 'a'.repeat(chunk));
    assert.equal(moved(empty), '');
  });
});
