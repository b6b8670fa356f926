import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { USER_ROLES, type UserRole } from '@pilotage/database';
import { UserRoleEnum } from '../../common/graphql-enums';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../password-policy';

const NEW_PASSWORD = `New password: at least ${MIN_PASSWORD_LENGTH} characters, not a common or easily guessed one.`;

@InputType({ description: 'An e-mailed token (the `token` parameter of the link, or the code).' })
export class AccountTokenInput {
  @Field({ description: 'The token from the e-mail.' })
  @IsString()
  @MinLength(20)
  @MaxLength(2000)
  token!: string;
}

@InputType({ description: 'An e-mail address to send a link to.' })
export class EmailAddressInput {
  @Field({ description: 'E-mail address.' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;
}

@InputType({ description: 'Sets a new password with an e-mailed reset token.' })
export class ResetPasswordInput {
  @Field({ description: 'The token from the password-reset e-mail.' })
  @IsString()
  @MinLength(20)
  @MaxLength(2000)
  token!: string;

  @Field({ description: NEW_PASSWORD })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;
}

@InputType({ description: 'Changes the signed-in user’s password.' })
export class ChangePasswordInput {
  @Field({ description: 'The current password.' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword!: string;

  @Field({ description: NEW_PASSWORD })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;
}

@InputType({ description: 'Asks to change the signed-in user’s e-mail address; the new address must be confirmed.' })
export class ChangeEmailInput {
  @Field({ description: 'The new address; a confirmation link is sent to it.' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;

  @Field({ description: 'The current password.' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword!: string;
}

@InputType({ description: 'Trades a refresh token for new tokens.' })
export class RefreshSessionInput {
  @Field({ description: 'The refresh token of the last login or refresh (each works once).' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  refreshToken!: string;
}

@InputType({ description: 'Changes a user’s role (owners only).' })
export class ChangeUserRoleInput {
  @Field(() => ID, { description: 'The user.' })
  @IsUUID('all', { message: 'userId must be a user id' })
  userId!: string;

  @Field(() => UserRoleEnum, { description: 'The new role.' })
  @IsIn(USER_ROLES)
  role!: UserRole;

  @Field(() => ID, { nullable: true, description: 'Required for CLIENT_VIEWER: the client they may read.' })
  @ValidateIf((input: ChangeUserRoleInput) => input.role === 'CLIENT_VIEWER' || input.clientId !== undefined)
  @IsUUID('all', { message: 'clientId must be the id of a client (required for CLIENT_VIEWER)' })
  clientId?: string;
}

@InputType({ description: 'Which sessions to list.' })
export class SessionsFilterInput {
  @Field(() => ID, { nullable: true, description: 'Another user of the agency (owners only); the signed-in user by default.' })
  @IsOptional()
  @IsUUID('all', { message: 'userId must be a user id' })
  userId?: string;
}
