import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { LOCALES, type Locale } from '@pilotage/kpi';
import { USER_ROLES, type UserRole } from '@pilotage/database';
import { LocaleEnum, UserRoleEnum } from '../../common/graphql-enums';
import { IsCurrencyCode, IsNotBlank, IsPlainText, IsTimeZone } from '../../common/validators';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../password-policy';

@InputType({ description: 'Creates an agency and its owner.' })
export class SignUpInput {
  @Field({ description: 'Agency name.' })
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  @IsPlainText()
  @IsNotBlank()
  agencyName!: string;

  @Field({ nullable: true, description: 'Unique short name (a-z, 0-9, dashes); derived from the name when omitted.' })
  @IsOptional()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/, { message: 'agencySlug must be 1–50 lower-case letters, digits or dashes' })
  agencySlug?: string;

  @Field({ description: 'Owner e-mail.' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;

  @Field({ description: `Owner password: at least ${MIN_PASSWORD_LENGTH} characters, not a common or easily guessed one.` })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;

  @Field({ description: 'Owner display name.' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsPlainText()
  @IsNotBlank()
  displayName!: string;

  @Field(() => LocaleEnum, { nullable: true, description: 'Default report language (fr).' })
  @IsOptional()
  @IsIn(LOCALES)
  defaultLocale?: Locale;

  @Field({ nullable: true, description: 'Default ISO 4217 currency (EUR).' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @Field({ nullable: true, description: 'Default IANA time zone (Europe/Paris).' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;
}

@InputType({ description: 'Credentials.' })
export class LoginInput {
  @Field({ description: 'E-mail.' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;

  @Field({ description: 'Password.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;

  @Field({ nullable: true, description: 'Agency slug; needed only when the e-mail and password match accounts in several agencies.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  agencySlug?: string;
}

@InputType({ description: 'Invites a person to the agency.' })
export class InviteUserInput {
  @Field({ description: 'E-mail of the invitee.' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;

  @Field({ description: 'Display name of the invitee.' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsPlainText()
  @IsNotBlank()
  displayName!: string;

  @Field(() => UserRoleEnum, { description: 'Role of the invitee.' })
  @IsIn(USER_ROLES)
  role!: UserRole;

  @Field(() => ID, { nullable: true, description: 'Required for CLIENT_VIEWER: the client they may read.' })
  @ValidateIf((input: InviteUserInput) => input.role === 'CLIENT_VIEWER' || input.clientId !== undefined)
  @IsUUID('all', { message: 'clientId must be the id of a client (required for CLIENT_VIEWER)' })
  clientId?: string;
}

@InputType({ description: 'Accepts an invitation and sets a password.' })
export class AcceptInvitationInput {
  @Field({ description: 'The invitation token.' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token!: string;

  @Field({ description: `New password: at least ${MIN_PASSWORD_LENGTH} characters, not a common or easily guessed one.` })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;
}
