import { provisionalSemantic, type SemanticType, type StorageType } from './typed-copy';

const ID_NAME = /(^id$|^id[_\s-]|[_\s-]id$|[a-z]Id$|^uuid$|[_\s-](key|uuid)$)/i;

/** What the profile measured of a column that decides its semantic type. */
export interface Cardinality {
  nonNull: number;
  distinct: number;
  meanLength: number;
  withSpaces: number;
}

/** Integer columns whose name says id/key: identifiers when near-unique. */
export const mayBeIdentifier = (name: string, storage: StorageType): boolean =>
  storage === 'BIGINT' && ID_NAME.test(name);

/**
 * Semantic type from storage type and cardinality (distinct counts may be HyperLogLog
 * estimates, so "all distinct" means ≥ 97 %): text with ≤ 50 values, or ≤ 1,000 values
 * covering ≤ 5 % of the rows, is categorical; near-unique short text without spaces, or
 * near-unique integers whose name says id/key, are identifiers.
 */
export function semanticOf(name: string, storage: StorageType, c: Cardinality): SemanticType {
  const nearUnique = c.nonNull >= 20 && c.distinct >= 0.97 * c.nonNull;
  if (storage === 'BIGINT') return nearUnique && ID_NAME.test(name) ? 'identifier' : 'integer';
  if (storage !== 'VARCHAR') return provisionalSemantic(storage);
  if (c.distinct <= 50 || (c.distinct <= 1000 && c.distinct <= 0.05 * c.nonNull))
    return 'categorical';
  if (nearUnique && c.withSpaces === 0 && c.meanLength <= 64) return 'identifier';
  return 'text';
}
