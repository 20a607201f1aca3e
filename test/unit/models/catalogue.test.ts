import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allModelDefinitions } from '../../../server/src/models';
import { catalogue } from '../../../server/src/models/catalogue';

test('every model has a description in English and in Simplified Chinese, and the catalogues name only models', () => {
  const models = new Set(allModelDefinitions().map((m) => m.name));
  for (const language of ['en', 'zh-cn'] as const) {
    const entries = catalogue(language);
    assert.deepEqual(
      [...models].filter((name) => !entries[name]),
      [],
      `${language}: models without a description`,
    );
    assert.deepEqual(
      Object.keys(entries).filter((name) => !models.has(name)),
      [],
      `${language}: descriptions of no model`,
    );
  }
});
