import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from 'src/core/auth';
import { ApiProblems } from 'src/core/openapi/api-problems.decorator';
import { ModeDto, SetModeDto } from './dto/mode.dto';
import { OnboardingDto } from './dto/onboarding.dto';
import { PreferencesDto, UpdatePreferencesDto } from './dto/preferences.dto';
import { UserOnboardingService } from './user-onboarding.service';

@ApiTags('user')
@ApiOAuth2([])
@ApiBearerAuth('api-key')
@Controller({ path: 'user', version: '1' })
export class UserOnboardingController {
  constructor(private readonly onboarding: UserOnboardingService) {}

  @Get('mode')
  @ApiOperation({ summary: 'Your experience mode (guided by default)' })
  @ApiOkResponse({ type: ModeDto })
  @ApiProblems(401, 429)
  getMode(@CurrentUser() user: AuthenticatedUser): Promise<ModeDto> {
    return this.onboarding.getMode(user);
  }

  @Post('mode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Choose guided, standard or expert mode' })
  @ApiOkResponse({ type: ModeDto })
  @ApiProblems(400, 401, 429)
  setMode(@CurrentUser() user: AuthenticatedUser, @Body() dto: SetModeDto): Promise<ModeDto> {
    return this.onboarding.setMode(user, dto.mode);
  }

  @Get('preferences')
  @ApiOperation({ summary: 'Your preferences, with defaults for what you never set' })
  @ApiOkResponse({ type: PreferencesDto })
  @ApiProblems(401, 429)
  getPreferences(@CurrentUser() user: AuthenticatedUser): Promise<PreferencesDto> {
    return this.onboarding.getPreferences(user);
  }

  @Put('preferences')
  @ApiOperation({
    summary: 'Change some preferences (deep merge; unknown keys and wrong types answer 400)',
  })
  @ApiOkResponse({ type: PreferencesDto })
  @ApiProblems(400, 401, 429)
  updatePreferences(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: UpdatePreferencesDto,
  ): Promise<PreferencesDto> {
    return this.onboarding.updatePreferences(user, dto);
  }

  @Get('onboarding')
  @ApiOperation({ summary: 'Your progress through the workflow and the next suggested step' })
  @ApiOkResponse({ type: OnboardingDto })
  @ApiProblems(401, 429)
  progress(@CurrentUser() user: AuthenticatedUser): Promise<OnboardingDto> {
    return this.onboarding.onboarding(user);
  }
}
