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
}

@ObjectType({ description: 'A successful sign-up, login or invitation acceptance.' })
export class AuthPayload {
  @Field({ description: 'Bearer token for the Authorization header.' })
  token!: string;

  @Field({ description: 'When the token expires.' })
  expiresAt!: Date;

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
