import { Type } from 'typebox';
import { Nullable, Paginated } from './common.js';
import { ApiKeySchema } from './users.js';

/** GET /v1/users/api_keys (reference: getAllUserApiKeys): every human user's keys, each with its owner. */
const ApiKeyUser = Type.Object(
  { id: Type.String(), username: Type.String(), email: Nullable(Type.String()) },
  { title: 'ApiKeyUser' },
);

export const UserApiKeySchema = Type.Object(
  { ...ApiKeySchema.properties, user: ApiKeyUser },
  { title: 'UserApiKey' },
);

export const AllUserApiKeysPage = Paginated(UserApiKeySchema, 'GetAllUserApiKeysResponseBody');

export const ListAllUserApiKeysQuery = Type.Object({
  cursor: Type.Optional(Type.String({ description: 'Cursor for pagination (a UserApiKey GlobalID).' })),
  limit: Type.Integer({
    exclusiveMinimum: 0,
    maximum: 1000,
    default: 100,
    description: 'The maximum number of API keys to return (at most 1000).',
  }),
});
