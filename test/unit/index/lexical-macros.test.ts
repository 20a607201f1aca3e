import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileIndexer } from '../../../server/src/index/file-indexer';
import { macroOnlyDefines } from '../../../server/src/index/lexical-macros';

/** Macro-only texts: each must give, read lexically, the very macros tree-sitter finds in it. */
const macroOnlyTexts: Record<string, string> = {
  'a register header with its guard': [
    '/* SPDX-License-Identifier: MIT */',
    '/*',
    ' * Copyright (C) 2022 Someone, with a multi-line licence comment é',
    ' */',
    '#ifndef _REG_OFFSET_HEADER',
    '#define _REG_OFFSET_HEADER',
    '',
    '',
    '// addressBlock: dcn_dc_dccg_dccg_dfs_dispdec',
    '#define regDENTIST_DISPCLK_CNTL                                    0x0064',
    '#define regDENTIST_DISPCLK_CNTL_BASE_IDX                           1',
    '#define DENTIST_DISPCLK_CNTL__DENTIST_DISPCLK_WDIVIDER_MASK         0x0000007FL',
    '',
    '#endif',
    '',
  ].join('\n'),
  'comments before, after and around values': [
    '#define AFTER_BLOCK 1 /* one */',
    '#define AFTER_LINE 2 // two',
    '#define BEFORE /* the value follows */ 3',
    '#define TWO_COMMENTS 4 /* a */ /* b */',
    '#define BLOCK_THEN_LINE 5 /* a */ // b',
    '#define SPANNING 6 /* a comment',
    '   over two lines */',
    '#define ONLY_A_COMMENT /* nothing */',
    '#define EMPTY',
    '#define BLANKS_INSIDE  ( 1  |\t2 )  ',
    '  #  define INDENTED\t7\t',
    '#define NESTED_PARENS ((1 << 4) | (2))',
    '#define STRING "text"',
    '#define DIVIDED (8 / 2)',
    '',
  ].join('\n'),
  'line continuations': [
    '#define CONTINUED (1 + \\',
    '\t2 + \\',
    '\t3)',
    '#define AFTER_CONTINUED 4',
    '#define COMMENT_IN_CONTINUATION 5 // note \\',
    '  6',
    '',
  ].join('\n'),
  'function-like macros are not recorded': [
    '#define FIELD(reg, field) reg##__##field##__SHIFT',
    '#define NO_ARGUMENTS() 0',
    '#define VARIADIC(fmt, ...) printk(fmt, ##__VA_ARGS__)',
    '#define SPACED (1)',
    '#define CONTINUED_FUNCTION(x) \\',
    '\t((x) + 1)',
    '#define LAST 9',
    '',
  ].join('\n'),
  'guards, #else, includes and other directives': [
    '#ifndef _GUARD_H /* the guard */',
    '#define _GUARD_H',
    '#include <linux/bits.h>',
    '#include "local.h" // quoted',
    '#ifdef CONFIG_SOMETHING',
    '#define SOMETHING 1',
    '#else',
    '#define SOMETHING 0',
    '#endif // CONFIG_SOMETHING',
    '#undef SOMETHING_ELSE',
    '#pragma once',
    '#endif /* _GUARD_H */',
  ].join('\r\n'),
  'no final newline after #endif': '#ifndef A\n#define A 1\n#endif',
};

/** Texts the lexical reader must leave to tree-sitter. */
const notMacroOnly: Record<string, string> = {
  'a declaration': '#define A 1\nstruct sock;\n',
  'a function': '#include <x.h>\nint f(void) { return 0; }\n',
  'an #if expression': '#if IS_ENABLED(CONFIG_X)\n#define A 1\n#endif\n',
  'an unclosed #ifndef': '#ifndef A\n#define A\n',
  'an #endif too many': '#define A 1\n#endif\n',
  'text after a comment that ends a value': '#define A 1 /* c */ + 2\n',
  'an unclosed comment': '#define A 1\n/* never closed\n',
  'a directive after a comment on its line': '/* c */ #define A 1\n',
  'no final newline after a #define': '#define A 1',
  'a null directive': '#\n#define A 1\n',
  'an unknown directive': '#line 3\n#define A 1\n',
  // tree-sitter takes the next line as the value after a blank: A's value is `#define B 2`.
  'blanks after a name, then a newline': '#define A   \n#define B 2\n',
  'blanks after parameters, then a newline': '#define F(x)   \n#define B 2\n',
  'a comment and a blank, then a newline': '#define A /* c */ \n#define B 2\n',
};

describe('macro-only files are read lexically, with the facts tree-sitter gives', () => {
  let indexer: FileIndexer;
  let folder: string;
  before(async () => {
    indexer = await FileIndexer.create();
    folder = mkdtempSync(join(tmpdir(), 'knr-macro-only-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  for (const [name, text] of Object.entries(macroOnlyTexts)) {
    test(`${name}: same macros as the tree-sitter path`, () => {
      const parsed = indexer.indexText('reg.h', text);
      assert.equal(parsed.parseErrors, 0, 'the synthetic text is valid for tree-sitter');
      assert.ok(parsed.macros.length > 0);
      assert.deepEqual(macroOnlyDefines(text), parsed.macros);
    });
  }

  test('function-like macros are absent and continued values are joined', () => {
    const macros = macroOnlyDefines(macroOnlyTexts['function-like macros are not recorded'])!;
    assert.deepEqual(
      macros.map((macro) => macro.name),
      ['SPACED', 'LAST'],
    );
    const continued = macroOnlyDefines(macroOnlyTexts['line continuations'])!;
    assert.deepEqual(continued[0], {
      name: 'CONTINUED',
      nameSpan: { line: 0, column: 8, endLine: 0, endColumn: 17 },
      value: '(1 + 2 + 3)',
    });
    assert.equal(continued[1].nameSpan.line, 3);
  });

  test('tree-sitter still reads the line after a blank as the value, which is why those are left to it', () => {
    const parsed = indexer.indexText('x.h', notMacroOnly['blanks after a name, then a newline']);
    assert.deepEqual(
      parsed.macros.map((macro) => [macro.name, macro.value]),
      [['A', '#define B 2']],
    );
  });

  for (const [name, text] of Object.entries(notMacroOnly)) {
    test(`${name}: left to tree-sitter`, () => {
      assert.equal(macroOnlyDefines(text), undefined);
    });
  }

  test('indexFile marks a macro-only file and reports no problem; other files are parsed', () => {
    const header = join(folder, 'reg_offset.h');
    writeFileSync(header, macroOnlyTexts['a register header with its guard']);
    const outcome = indexer.indexFile(header, 'reg_offset.h');
    assert.equal(outcome.macroOnly, true);
    assert.equal(outcome.problem, undefined);
    assert.deepEqual(
      outcome.facts?.macros.map((macro) => macro.name),
      [
        '_REG_OFFSET_HEADER',
        'regDENTIST_DISPCLK_CNTL',
        'regDENTIST_DISPCLK_CNTL_BASE_IDX',
        'DENTIST_DISPCLK_CNTL__DENTIST_DISPCLK_WDIVIDER_MASK',
      ],
    );
    const source = join(folder, 'code.c');
    writeFileSync(source, '#define A 1\nint f(void) { return A; }\n');
    const parsed = indexer.indexFile(source, 'code.c');
    assert.equal(parsed.macroOnly, undefined);
    assert.deepEqual(
      parsed.facts?.functions.map((fn) => fn.name),
      ['f'],
    );
  });
});
