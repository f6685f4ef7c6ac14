/**
 * User preferences: their current shape, defaults, and the migrations that bring an older stored
 * document up to date. Bump PREFERENCES_SCHEMA_VERSION and add a migration when the shape grows.
 */
export const THEMES = ['system', 'light', 'dark'] as const;
export const DENSITIES = ['comfortable', 'compact'] as const;
export const DATE_FORMATS = ['iso', 'us', 'eu'] as const;
export const OPTIMISATION_METRICS = [
  'auto',
  'accuracy',
  'balanced_accuracy',
  'f1',
  'roc_auc',
  'log_loss',
  'rmse',
  'mae',
  'r2',
] as const;

export interface Preferences {
  display: {
    theme: (typeof THEMES)[number];
    density: (typeof DENSITIES)[number];
    language: string;
    dateFormat: (typeof DATE_FORMATS)[number];
  };
  notifications: { email: boolean; inApp: boolean; driftAlerts: boolean; jobCompletion: boolean };
  data: { defaultPageSize: number; previewRows: number; decimalPlaces: number };
  training: {
    defaultTimeBudgetSeconds: number;
    optimisationMetric: (typeof OPTIMISATION_METRICS)[number];
    reproducible: boolean;
  };
}

export const PREFERENCES_SCHEMA_VERSION = 2;

export const DEFAULT_PREFERENCES: Preferences = {
  display: { theme: 'system', density: 'comfortable', language: 'en', dateFormat: 'iso' },
  notifications: { email: true, inApp: true, driftAlerts: true, jobCompletion: true },
  data: { defaultPageSize: 50, previewRows: 100, decimalPlaces: 3 },
  training: { defaultTimeBudgetSeconds: 300, optimisationMetric: 'auto', reproducible: false },
};

type Stored = Record<string, unknown>;

/**
 * Version 1 kept `theme` and `pageSize` at the top level and had no training section; version 2
 * groups display and data settings.
 */
const MIGRATIONS: Record<number, (stored: Stored) => Stored> = {
  1: ({ theme, pageSize, ...rest }) => ({
    ...rest,
    display: { ...(rest.display as Stored | undefined), ...(theme !== undefined ? { theme } : {}) },
    data: {
      ...(rest.data as Stored | undefined),
      ...(pageSize !== undefined ? { defaultPageSize: pageSize } : {}),
    },
  }),
};

export function migratePreferences(stored: Stored, fromVersion: number): Stored {
  let current = stored;
  for (let version = fromVersion; version < PREFERENCES_SCHEMA_VERSION; version++) {
    const migrate = MIGRATIONS[version];
    if (!migrate) throw new Error(`no preferences migration from version ${version}`);
    current = migrate(current);
  }
  return current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/** Defaults overlaid with what is stored, section by section (stored values win). */
export function withDefaults(stored: Stored): Preferences {
  const merged: Record<string, unknown> = {};
  for (const [section, defaults] of Object.entries(DEFAULT_PREFERENCES)) {
    const saved = stored[section];
    merged[section] = { ...defaults, ...(isPlainObject(saved) ? saved : {}) };
  }
  return merged as unknown as Preferences;
}

/** `{ display: { theme: 'dark' } }` → `{ 'preferences.display.theme': 'dark' }`: a deep merge as one $set. */
export function toLeafPaths(
  update: Record<string, unknown>,
  prefix: string,
): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) continue;
    const path = `${prefix}.${key}`;
    if (isPlainObject(value)) Object.assign(paths, toLeafPaths(value, path));
    else paths[path] = value;
  }
  return paths;
}
