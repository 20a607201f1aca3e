// The one schema of the user's settings. The extension's `contributes.configuration` in package.json
// is this schema written out (test/unit/settings-schema.test.ts checks they agree), and the server
// reads the values through `readSettings`, which never throws: a bad value falls back to the default
// and is reported.

/** The configuration section: every setting is `kernelNetReader.<name>`. */
export const settingsSection = 'kernelNetReader';

export type HoverLanguage = 'auto' | 'en' | 'zh-cn';

export interface Settings {
  /** Kernel trees to index; empty means the workspace folders. Relative paths are relative to the
   * first workspace folder. */
  kernelTrees: string[];
  /** Where persisted indexes go; empty means the server's default cache folder. */
  cacheFolder: string;
  /** `6.1`, `6.12`…: the kernel version whose behaviour the models apply; empty means the tree's
   * Makefile version. */
  modelKernelVersion: string;
  /** Language of hovers and traces; `auto` follows the editor's display language. */
  language: HoverLanguage;
  /** The architecture read: its `arch/<a>/` definitions rank with the generic code, the others after. */
  arch: string;
}

export const defaultSettings: Settings = {
  kernelTrees: [],
  cacheFolder: '',
  modelKernelVersion: '',
  language: 'auto',
  arch: 'x86',
};

/** One setting as VS Code's `contributes.configuration.properties` describes it. Descriptions are
 * `%key%` references into package.nls.json / package.nls.zh-cn.json. */
export interface SettingSchema {
  type: 'string' | 'array';
  default: unknown;
  description: string;
  items?: { type: 'string' };
  enum?: string[];
  enumDescriptions?: string[];
  pattern?: string;
  scope: 'machine-overridable' | 'resource' | 'window';
}

const versionPattern = '^(\\d+\\.\\d+(\\.\\d+)?)?$';
/** A folder name under arch/. */
const archPattern = '^[a-z0-9_]+$';

export const settingsSchema: Record<`${typeof settingsSection}.${keyof Settings}`, SettingSchema> = {
  'kernelNetReader.kernelTrees': {
    type: 'array',
    items: { type: 'string' },
    default: defaultSettings.kernelTrees,
    description: '%config.kernelTrees%',
    scope: 'machine-overridable',
  },
  'kernelNetReader.cacheFolder': {
    type: 'string',
    default: defaultSettings.cacheFolder,
    description: '%config.cacheFolder%',
    scope: 'machine-overridable',
  },
  'kernelNetReader.modelKernelVersion': {
    type: 'string',
    default: defaultSettings.modelKernelVersion,
    pattern: versionPattern,
    description: '%config.modelKernelVersion%',
    scope: 'resource',
  },
  'kernelNetReader.language': {
    type: 'string',
    enum: ['auto', 'en', 'zh-cn'],
    enumDescriptions: ['%config.language.auto%', '%config.language.en%', '%config.language.zhCn%'],
    default: defaultSettings.language,
    description: '%config.language%',
    scope: 'window',
  },
  'kernelNetReader.arch': {
    type: 'string',
    default: defaultSettings.arch,
    pattern: archPattern,
    description: '%config.arch%',
    scope: 'window',
  },
};

export interface SettingsReading {
  settings: Settings;
  /** One line per ignored value: `kernelNetReader.language: "fr" is not one of auto, en, zh-cn`. */
  problems: string[];
}

/** Reads the `kernelNetReader` section as the client sends it (`workspace/configuration`). */
export function readSettings(section: unknown): SettingsReading {
  const problems: string[] = [];
  const raw = typeof section === 'object' && section !== null ? (section as Record<string, unknown>) : {};
  const settings: Settings = { ...defaultSettings };

  const reject = (name: keyof Settings, why: string): void => {
    problems.push(`${settingsSection}.${name}: ${why}; using the default`);
  };

  if (raw.kernelTrees !== undefined) {
    if (Array.isArray(raw.kernelTrees) && raw.kernelTrees.every((tree) => typeof tree === 'string')) {
      settings.kernelTrees = raw.kernelTrees.filter((tree: string) => tree.trim() !== '');
    } else {
      reject('kernelTrees', `${JSON.stringify(raw.kernelTrees)} is not a list of folder paths`);
    }
  }
  if (raw.cacheFolder !== undefined) {
    if (typeof raw.cacheFolder === 'string') settings.cacheFolder = raw.cacheFolder.trim();
    else reject('cacheFolder', `${JSON.stringify(raw.cacheFolder)} is not a folder path`);
  }
  if (raw.modelKernelVersion !== undefined) {
    const version = raw.modelKernelVersion;
    if (typeof version === 'string' && new RegExp(versionPattern).test(version.trim())) {
      settings.modelKernelVersion = version.trim();
    } else {
      reject('modelKernelVersion', `${JSON.stringify(version)} is not a version such as 6.1 or 6.12.3`);
    }
  }
  if (raw.language !== undefined) {
    const languages: readonly unknown[] = settingsSchema['kernelNetReader.language'].enum ?? [];
    if (languages.includes(raw.language)) settings.language = raw.language as HoverLanguage;
    else reject('language', `${JSON.stringify(raw.language)} is not one of ${languages.join(', ')}`);
  }
  if (raw.arch !== undefined) {
    if (typeof raw.arch === 'string' && new RegExp(archPattern).test(raw.arch.trim())) {
      settings.arch = raw.arch.trim();
    } else {
      reject('arch', `${JSON.stringify(raw.arch)} is not a folder name under arch/, such as x86 or arm64`);
    }
  }
  return { settings, problems };
}
