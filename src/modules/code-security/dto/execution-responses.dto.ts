import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageInfo } from 'src/core/http/pagination';
import { LANGUAGES, type Language } from '../code-security.limits';
import { OUTCOMES, type Outcome } from '../sandbox/sandbox.types';

export class ExecutionLimitsUsedDto {
  @ApiProperty() timeoutSeconds!: number;
  @ApiProperty() memoryMb!: number;
}

export class ExecutionResultDto {
  @ApiProperty() executionId!: string;
  @ApiProperty({ enum: LANGUAGES }) language!: Language;
  @ApiProperty({ enum: ['success'] }) outcome!: 'success';
  /** Standard output, at most 1 MiB. */
  @ApiProperty() stdout!: string;
  /** Standard error, at most 256 KiB. */
  @ApiProperty() stderr!: string;
  @ApiProperty() stdoutTruncated!: boolean;
  @ApiProperty() stderrTruncated!: boolean;
  /** JavaScript: the completion value of the program. Python: the variable `result`. Null when none. */
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) result!: unknown;
  /** Top-level variables the program defined, as JSON (numpy arrays as lists, DataFrames in `split` form). */
  @ApiProperty({ type: 'object', additionalProperties: true }) variables!: Record<string, unknown>;
  /** Variables left out: not JSON-serialisable or over the 1 MiB result budget. */
  @ApiProperty({ type: [String] }) omittedVariables!: string[];
  /** Wall time of the run, sandbox start-up included. */
  @ApiProperty() executionTimeMs!: number;
  @ApiPropertyOptional() cpuTimeMs?: number;
  /** V8 heap of the isolate (JavaScript) or peak resident set (Python). */
  @ApiPropertyOptional() peakMemoryBytes?: number;
  @ApiProperty() limits!: ExecutionLimitsUsedDto;
}

export class CodeExecutionDto {
  @ApiProperty() id!: string;
  @ApiProperty() ownerId!: string;
  @ApiProperty({ enum: LANGUAGES }) language!: Language;
  @ApiProperty() codeSha256!: string;
  @ApiProperty() codeLength!: number;
  @ApiProperty() timeoutSeconds!: number;
  @ApiProperty() memoryMb!: number;
  @ApiProperty({ type: [String] }) inputNames!: string[];
  @ApiProperty({ enum: OUTCOMES }) outcome!: Outcome;
  @ApiProperty() durationMs!: number;
  @ApiPropertyOptional() cpuTimeMs?: number;
  @ApiPropertyOptional() peakMemoryBytes?: number;
  @ApiProperty() stdoutBytes!: number;
  @ApiProperty() stderrBytes!: number;
  @ApiProperty() createdAt!: Date;
}

export class CodeExecutionPageDto {
  @ApiProperty({ type: [CodeExecutionDto] }) items!: CodeExecutionDto[];
  @ApiProperty() page!: PageInfo;
}

export class LanguageHealthDto {
  @ApiProperty() available!: boolean;
  @ApiPropertyOptional() version?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  packages?: Record<string, string>;
  @ApiPropertyOptional() detail?: string;
}

export class SandboxLanguagesDto implements Record<Language, LanguageHealthDto> {
  @ApiProperty() javascript!: LanguageHealthDto;
  @ApiProperty() python!: LanguageHealthDto;
}

export class SandboxHealthDto {
  /** ok: every language available; degraded: some; unavailable: none. */
  @ApiProperty({ enum: ['ok', 'degraded', 'unavailable'] }) status!:
    'ok' | 'degraded' | 'unavailable';
  @ApiProperty() languages!: SandboxLanguagesDto;
  @ApiProperty() checkedAt!: Date;
}

class RangeDto {
  @ApiProperty() min!: number;
  @ApiProperty() max!: number;
  @ApiProperty() default!: number;
}

export class ExecutionLimitsDto {
  @ApiProperty({ enum: LANGUAGES, isArray: true }) languages!: Language[];
  @ApiProperty() timeoutSeconds!: RangeDto;
  @ApiProperty() memoryMb!: RangeDto;
  @ApiProperty() maxCodeLength!: number;
  @ApiProperty() maxStdoutBytes!: number;
  @ApiProperty() maxStderrBytes!: number;
  @ApiProperty() maxResultBytes!: number;
  @ApiProperty() maxInputs!: number;
  @ApiProperty() maxInputsBytes!: number;
  @ApiProperty() maxConcurrentPerUser!: number;
  @ApiProperty() maxConcurrentGlobal!: number;
  /** Executions per user in each rate-limit window. */
  @ApiProperty() rateLimit!: number;
  @ApiProperty() rateLimitWindowSeconds!: number;
  /** Python only: processes and threads, largest file written, open files, size of /tmp. */
  @ApiProperty() maxProcesses!: number;
  @ApiProperty() maxFileBytes!: number;
  @ApiProperty() maxOpenFiles!: number;
  @ApiProperty() tmpfsBytes!: number;
}
