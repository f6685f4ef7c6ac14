import type { UserDto } from './dto/auth-responses.dto';
import type { UserRecord } from './users.repository';

export function toUserDto(user: UserRecord): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    createdAt: user.createdAt,
  };
}
