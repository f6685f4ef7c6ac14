import { ArrayMinSize, IsArray, IsIn } from 'class-validator';
import { ROLES, type Role } from 'src/core/auth';

export class SetRolesDto {
  /** The user's complete set of roles. */
  @IsArray() @ArrayMinSize(1) @IsIn(ROLES, { each: true }) roles!: Role[];
}
