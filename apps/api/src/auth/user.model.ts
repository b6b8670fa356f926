import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { UserRole } from '@pilotage/database';
import { UserRoleEnum } from '../common/graphql-enums';

@ObjectType({ description: 'A person who can sign in to an agency.' })
export class User {
  @Field(() => ID, { description: 'User id.' })
  id!: string;

  @Field({ description: 'E-mail address (lower-cased).' })
  email!: string;

  @Field({ description: 'Name shown in reports and the interface.' })
  displayName!: string;

  @Field(() => UserRoleEnum, { description: 'What the user may do.' })
  role!: UserRole;

  @Field(() => ID, { nullable: true, description: 'For CLIENT_VIEWER: the client they may read.' })
  clientId!: string | null;

  @Field({ description: 'False while an invitation is pending.' })
  active!: boolean;

  @Field({ description: 'Whether the user proved they own the e-mail address (needed to log in).' })
  emailVerified!: boolean;
}

@ObjectType({ description: 'A successful login, e-mail verification, refresh or invitation acceptance: a new session.' })
export class AuthPayload {
  @Field({ description: 'Short-lived bearer token for the Authorization header.' })
  token!: string;

  @Field({ description: 'When the bearer token expires: call refreshSession before.' })
  expiresAt!: Date;

  @Field({ description: 'Single-use token for refreshSession; keep it secret (a reused one ends the session).' })
  refreshToken!: string;

  @Field({ description: 'When the session ends: log in again after.' })
  refreshTokenExpiresAt!: Date;

  @Field(() => User, { description: 'The signed-in user.' })
  user!: User;
}

@ObjectType({ description: 'A pending invitation. The token is shown once: send it to the invitee.' })
export class Invitation {
  @Field(() => User, { description: 'The invited user (inactive until they accept).' })
  user!: User;

  @Field({ description: 'Secret token the invitee passes to acceptInvitation.' })
  token!: string;

  @Field({ description: 'When the invitation expires.' })
  expiresAt!: Date;
}

@ObjectType({ description: 'A sign-up: the agency and its owner exist; the owner confirms the e-mail address before logging in.' })
export class SignUpPayload {
  @Field(() => User, { description: 'The owner (unverified until the e-mailed link is followed).' })
  user!: User;

  @Field({ description: 'When the confirmation link expires (then ask for another with requestEmailVerification).' })
  verificationExpiresAt!: Date;
}

@ObjectType({ description: 'A signed-in device of a user.' })
export class Session {
  @Field(() => ID, { description: 'Session id.' })
  id!: string;

  @Field(() => ID, { description: 'Its user.' })
  userId!: string;

  @Field({ description: 'Whether this is the session of the request.' })
  current!: boolean;

  @Field(() => String, { nullable: true, description: 'The browser as it announced itself at login.' })
  userAgent!: string | null;

  @Field(() => String, { nullable: true, description: 'The client address at login.' })
  ipAddress!: string | null;

  @Field({ description: 'Login time.' })
  createdAt!: Date;

  @Field({ description: 'Last login or refresh.' })
  lastUsedAt!: Date;

  @Field({ description: 'When it ends unless revoked before.' })
  expiresAt!: Date;
}
