import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiOAuth2,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Public, Roles } from 'src/core/auth';
import { ApiProblems } from 'src/core/openapi/api-problems.decorator';
import { RateLimitGroup } from 'src/core/throttling/rate-limit-group.decorator';
import { AuthService } from './auth.service';
import { SessionDto, TokenResponseDto, UserDto } from './dto/auth-responses.dto';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LogoutDto } from './dto/logout.dto';
import { RefreshDto } from './dto/refresh.dto';
import { RegisterDto } from './dto/register.dto';
import { SetRolesDto } from './dto/set-roles.dto';
import { TokenRequestDto } from './dto/token-request.dto';
import { toUserDto } from './user.mapper';

@ApiTags('auth')
@RateLimitGroup('auth')
@Controller({ path: 'auth', version: '1' })
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  @ApiOperation({
    summary: 'Create an account (can be switched off with AUTH_REGISTRATION_ENABLED)',
  })
  @ApiProblems(400, 403, 409, 429)
  async register(@Body() dto: RegisterDto): Promise<UserDto> {
    return toUserDto(await this.auth.register(dto));
  }

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiOperation({
    summary: 'OAuth2 token endpoint (password and refresh_token grants, RFC 6749)',
    description:
      'Bad credentials answer 400 with `error: invalid_grant`, the same for an unknown user and a wrong password.',
  })
  @ApiProblems(400, 429)
  async token(
    @Body() dto: TokenRequestDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<TokenResponseDto> {
    res.header('Cache-Control', 'no-store');
    return this.auth.token(dto);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate a refresh token for a new token pair' })
  @ApiProblems(400, 429)
  async refresh(
    @Body() dto: RefreshDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<TokenResponseDto> {
    res.header('Cache-Control', 'no-store');
    return this.auth.refresh(dto.refresh_token);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOAuth2([])
  @ApiBearerAuth('api-key')
  @ApiOperation({
    summary: "Sign out: revoke this access token and, if given, the refresh token's session",
  })
  @ApiProblems(400, 401, 429)
  async logout(@CurrentUser() user: AuthenticatedUser, @Body() dto: LogoutDto): Promise<void> {
    await this.auth.logout(user, dto.refresh_token);
  }

  @Get('me')
  @ApiOAuth2([])
  @ApiBearerAuth('api-key')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(401, 429)
  async me(@CurrentUser() user: AuthenticatedUser): Promise<UserDto> {
    return toUserDto(await this.auth.me(user));
  }

  @Get('session')
  @ApiOAuth2([])
  @ApiBearerAuth('api-key')
  @ApiOperation({
    summary: 'How this request is authenticated (from the credential alone, no lookup)',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblems(401, 429)
  session(@CurrentUser() user: AuthenticatedUser): SessionDto {
    return {
      userId: user.id,
      email: user.email,
      roles: user.roles,
      via: user.via,
      expiresAt: user.tokenExpiresAt ? new Date(user.tokenExpiresAt * 1000) : undefined,
    };
  }

  @Post('password')
  @HttpCode(204)
  @ApiOAuth2([])
  @ApiBearerAuth('api-key')
  @ApiOperation({ summary: 'Change the password; every other session is signed out' })
  @ApiProblems(400, 401, 429)
  async changePassword(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(user, dto);
  }

  @Put('users/:id/roles')
  @Roles('admin')
  @ApiOAuth2([])
  @ApiBearerAuth('api-key')
  @ApiOperation({ summary: "Set a user's roles (admin only)" })
  @ApiProblems(400, 401, 403, 404, 429)
  async setRoles(
    @CurrentUser() admin: AuthenticatedUser,
    @Param('id') id: string,
    @Body() dto: SetRolesDto,
  ): Promise<UserDto> {
    return toUserDto(await this.auth.setRoles(admin, id, dto.roles));
  }
}
