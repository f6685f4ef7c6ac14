import {
  DEFAULT_PREFERENCES,
  migratePreferences,
  PREFERENCES_SCHEMA_VERSION,
  toLeafPaths,
  withDefaults,
} from './preferences';

describe('preferences', () => {
  it('should migrate a version-1 document into the current shape', () => {
    const migrated = migratePreferences(
      { theme: 'dark', pageSize: 25, notifications: { email: false } },
      1,
    );
    expect(migrated).toEqual({
      display: { theme: 'dark' },
      data: { defaultPageSize: 25 },
      notifications: { email: false },
    });
    expect(withDefaults(migrated)).toEqual({
      ...DEFAULT_PREFERENCES,
      display: { ...DEFAULT_PREFERENCES.display, theme: 'dark' },
      data: { ...DEFAULT_PREFERENCES.data, defaultPageSize: 25 },
      notifications: { ...DEFAULT_PREFERENCES.notifications, email: false },
    });
  });

  it('should leave a current document unchanged', () => {
    const doc = { display: { theme: 'light' } };
    expect(migratePreferences(doc, PREFERENCES_SCHEMA_VERSION)).toBe(doc);
  });

  it('should turn a nested partial update into leaf paths', () => {
    expect(
      toLeafPaths(
        { display: { theme: 'dark', language: undefined }, data: { previewRows: 10 } },
        'preferences',
      ),
    ).toEqual({
      'preferences.display.theme': 'dark',
      'preferences.data.previewRows': 10,
    });
  });
});
