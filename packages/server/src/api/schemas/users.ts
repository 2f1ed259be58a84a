import { Type } from 'typebox';
import { Data, DateTime, Nullable, Paginated } from './common.js';

/** Phoenix's users and API keys (reference: /v1/user, /v1/users, /v1/user/api_keys, /v1/system/api_keys). */
export const Role = Type.Union(
  [Type.Literal('SYSTEM'), Type.Literal('ADMIN'), Type.Literal('MEMBER'), Type.Literal('VIEWER')],
  {
    title: 'Role',
  },
);

export const LocalUserSchema = Type.Object(
  {
    id: Type.String(),
    created_at: DateTime(),
    updated_at: DateTime(),
    email: Type.String(),
    username: Type.String(),
    role: Role,
    auth_method: Type.Literal('LOCAL'),
    password: Type.Optional(Type.String()),
    password_needs_reset: Type.Boolean(),
  },
  { title: 'LocalUser' },
);

export const AnonymousUserSchema = Type.Object(
  { auth_method: Type.Literal('ANONYMOUS') },
  { title: 'AnonymousUser' },
);

export const ViewerBody = Data(Type.Union([LocalUserSchema, AnonymousUserSchema]), 'GetViewerResponseBody');
export const UsersPage = Paginated(LocalUserSchema, 'GetUsersResponseBody');
export const CreatedUserBody = Data(LocalUserSchema, 'CreateUserResponseBody');

export const ListUsersQuery = Type.Object({
  cursor: Type.Optional(Type.String({ description: 'Cursor for pagination (base64-encoded user ID)' })),
  limit: Type.Integer({
    exclusiveMinimum: 0,
    maximum: 1000,
    default: 100,
    description: 'The max number of users to return at a time.',
  }),
});

export const CreateUserBody = Type.Object(
  {
    user: Type.Object(
      {
        email: Type.String({ minLength: 1 }),
        username: Type.String({ minLength: 1 }),
        role: Role,
        auth_method: Type.Literal('LOCAL'),
        password: Type.Optional(Type.String({ minLength: 1 })),
      },
      { title: 'LocalUserData' },
    ),
    send_welcome_email: Type.Optional(Type.Boolean({ default: true })),
  },
  { title: 'CreateUserRequestBody' },
);

export const UserIdParams = Type.Object({
  user_id: Type.String({ description: "The GlobalID of the user (e.g. 'VXNlcjox')." }),
});

export const ApiKeySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.Optional(Nullable(Type.String())),
    created_at: DateTime(),
    expires_at: Type.Optional(Nullable(DateTime())),
  },
  { title: 'ApiKey' },
);

export const CreatedApiKeySchema = Type.Object(
  {
    ...ApiKeySchema.properties,
    key: Type.String({
      description:
        'The API key. This is the only time it is returned; it cannot be recovered from the listing endpoints.',
    }),
  },
  { title: 'CreatedApiKey' },
);

export const ApiKeysBody = Data(Type.Array(ApiKeySchema), 'GetApiKeysResponseBody');
export const CreatedApiKeyBody = Data(CreatedApiKeySchema, 'CreateApiKeyResponseBody');

export const CreateApiKeyBody = Type.Object(
  {
    data: Type.Object(
      {
        name: Type.String({ minLength: 1, description: 'A human-readable name for the API key.' }),
        description: Type.Optional(
          Nullable(Type.String({ description: 'An optional description of what the API key is for.' })),
        ),
        expires_at: Type.Optional(
          Nullable(DateTime('When the API key expires. The key never expires when omitted.')),
        ),
      },
      { title: 'ApiKeyData' },
    ),
  },
  { title: 'CreateApiKeyRequestBody' },
);

export const ApiKeyIdParams = Type.Object({
  api_key_id: Type.String({ description: 'The GlobalID of the API key.' }),
});
