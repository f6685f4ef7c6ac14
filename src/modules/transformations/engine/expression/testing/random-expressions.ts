/**
 * Test helper: random well-typed expressions over the parity columns (see parity-data.ts), from a
 * seeded generator, so the parity test also covers combinations nobody thought to write down.
 */
type Kind = 'number' | 'boolean' | 'string' | 'temporal';

export function randomExpressions(count: number, seed = 1): string[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(values: T[]): T => values[Math.floor(next() * values.length)];

  const numberLiteral = (): string =>
    pick(['0', '1', '2', '3', '-1', '2.5', '0.5', '-0.25', '100', '1e-3', '1e300', '7']);
  const stringLiteral = (): string =>
    pick(["'FR'", "'DE'", "'O''Brien'", '"Ünïcødé"', "''", "'ß straße'", "'  padded  '", "'z'"]);
  const dateLiteral = (): string =>
    pick(["'1990-01-01'", "'2000-06-15'", "'2021-03-04 05:06:07'", "'2020-01-01 00:00:00.5'"]);

  // exp, ln, log10 and pow may differ in the last bit between V8 and libm (the parity test
  // compares them to 1e-12). Where one bit can grow into a different answer, they are left out:
  // inside concat() (the bit shows in the text), %, and rounding (a boundary may fall between).
  let exactOnly = 0;
  const exactly = (build: () => string): string => {
    exactOnly++;
    try {
      return build();
    } finally {
      exactOnly--;
    }
  };
  const build = (kind: Kind, depth: number): string => {
    const leaf = depth <= 0 || next() < 0.25;
    switch (kind) {
      case 'number': {
        if (leaf) return pick(['age', 'months', 'income', 'debt', numberLiteral()]);
        const a = (): string => build('number', depth - 1);
        const inexact = [
          () => `${pick(['ln', 'log', 'log10'])}(${a()})`,
          () => `exp(${a()} / 100)`,
          () => `pow(${a()}, ${pick(['2', '0.5', '-1', '3', 'months'])})`,
        ];
        return pick<() => string>([
          ...(exactOnly > 0 ? [] : inexact),
          () => `(${a()} ${pick(['+', '-', '*', '/'])} ${a()})`,
          () => exactly(() => `(${a()} % ${a()})`),
          () => `-${a()}`,
          () => `${pick(['abs', 'sqrt'])}(${a()})`,
          () => exactly(() => `${pick(['round', 'floor', 'ceil'])}(${a()})`),
          () => exactly(() => `round(${a()}, ${pick(['-2', '0', '1', '3'])})`),
          () => `${pick(['least', 'greatest', 'coalesce'])}(${a()}, ${a()}, ${numberLiteral()})`,
          () => `length(${build('string', depth - 1)})`,
          () => `${pick(['year', 'month', 'day'])}(${build('temporal', depth - 1)})`,
        ])();
      }
      case 'boolean': {
        if (leaf)
          return pick(['active', 'true', 'false', 'null', '(age > 30)', "(country = 'FR')"]);
        const op = (): string => pick(['=', '!=', '<', '<=', '>', '>=']);
        // Parenthesized, since comparisons do not chain.
        const body = pick<() => string>([
          () => `${build('number', depth - 1)} ${op()} ${build('number', depth - 1)}`,
          () => `${build('string', depth - 1)} ${op()} ${build('string', depth - 1)}`,
          () => `${build('temporal', depth - 1)} ${op()} ${dateLiteral()}`,
          () =>
            `(${build('boolean', depth - 1)} ${pick(['and', 'or', '&&', '||'])} ${build('boolean', depth - 1)})`,
          () => `not ${build('boolean', depth - 1)}`,
          () =>
            `${build(pick<Kind>(['number', 'string', 'temporal']), depth - 1)} is ${pick(['', 'not '])}null`,
          () =>
            `${build('number', depth - 1)} ${pick(['in', 'not in'])} (1, 2.5, ${numberLiteral()}, ${pick(['null', '3'])})`,
          () =>
            `${build('string', depth - 1)} ${pick(['in', 'not in'])} (${stringLiteral()}, ${stringLiteral()})`,
          () =>
            `${build('number', depth - 1)} ${pick(['between', 'not between'])} ${build('number', depth - 1)} and ${numberLiteral()}`,
          () => `active = ${build('boolean', depth - 1)}`,
        ]);
        return `(${body()})`;
      }
      case 'string': {
        if (leaf) return pick(['country', '`first name`', stringLiteral()]);
        const s = (): string => build('string', depth - 1);
        return pick<() => string>([
          () => `${pick(['lower', 'upper', 'trim'])}(${s()})`,
          () => {
            const kind = pick<Kind>(['number', 'boolean', 'temporal', 'string']);
            return exactly(() => `concat(${s()}, ${build(kind, depth - 1)})`);
          },
          () => `${pick(['least', 'greatest', 'coalesce'])}(${s()}, ${s()})`,
        ])();
      }
      case 'temporal': {
        if (leaf) return pick(['born', 'seen']);
        return pick<() => string>([
          () => `coalesce(${build('temporal', depth - 1)}, ${dateLiteral()})`,
          () => `${pick(['least', 'greatest'])}(born, ${build('temporal', depth - 1)})`,
        ])();
      }
    }
  };

  return Array.from({ length: count }, () =>
    build(pick<Kind>(['number', 'number', 'boolean', 'boolean', 'string', 'temporal']), 4),
  );
}
