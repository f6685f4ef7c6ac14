import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { EXECUTION_LIMITS, LANGUAGES, type Language } from '../code-security.limits';

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Names an input may not take: keywords of either language and what the sandboxes define. */
const RESERVED = new Set(
  [
    'and as assert async await break case catch class const continue debugger def default del delete do elif else enum',
    'except export extends False finally for from function global if import in instanceof is lambda let new None',
    'nonlocal not null or pass raise return super switch this throw True try typeof var void while with yield',
    'console globalThis eval arguments undefined NaN Infinity print result',
  ]
    .join(' ')
    .split(' '),
);

/** Why `inputs` is not acceptable, or undefined when it is. */
export function inputsProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'inputs must be an object of variables';
  const names = Object.keys(value);
  if (names.length > EXECUTION_LIMITS.maxInputs)
    return `inputs may hold at most ${EXECUTION_LIMITS.maxInputs} variables`;
  const bad = names.find((name) => !IDENTIFIER.test(name) || RESERVED.has(name));
  if (bad !== undefined)
    return `inputs has an invalid variable name "${bad.slice(0, 64)}" (letters, digits and _, starting with a letter, not a keyword)`;
  if (Buffer.byteLength(JSON.stringify(value)) > EXECUTION_LIMITS.maxInputsBytes) {
    return `inputs may be at most ${EXECUTION_LIMITS.maxInputsBytes} bytes of JSON`;
  }
  return undefined;
}

export class ExecuteCodeDto {
  @ApiProperty({ enum: LANGUAGES, example: 'python' })
  @IsIn(LANGUAGES)
  language!: Language;

  /** The program, at most 50,000 characters. */
  @ApiProperty({
    maxLength: EXECUTION_LIMITS.maxCodeLength,
    example: 'import pandas as pd\nresult = pd.Series(values).mean()',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(EXECUTION_LIMITS.maxCodeLength)
  code!: string;

  /** Wall-clock and CPU time limit in seconds (1–300, default 30). */
  @ApiPropertyOptional({ minimum: 1, maximum: 300, default: 30 })
  @IsOptional()
  @IsInt()
  @Min(EXECUTION_LIMITS.timeoutSeconds.min)
  @Max(EXECUTION_LIMITS.timeoutSeconds.max)
  timeoutSeconds?: number;

  /** Memory limit in MB (64–2048, default 512): the V8 heap for JavaScript, the address space for Python. */
  @ApiPropertyOptional({ minimum: 64, maximum: 2048, default: 512 })
  @IsOptional()
  @IsInt()
  @Min(EXECUTION_LIMITS.memoryMb.min)
  @Max(EXECUTION_LIMITS.memoryMb.max)
  memoryMb?: number;

  /** Variables defined before the code runs: names are identifiers, values any JSON. */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { values: [1, 2, 3] },
  })
  @IsOptional()
  @ValidateBy({
    name: 'executionInputs',
    validator: {
      validate: (value: unknown) => inputsProblem(value) === undefined,
      defaultMessage: (args) => inputsProblem(args?.value) ?? 'inputs is not valid',
    },
  })
  inputs?: Record<string, unknown>;
}
