import { Type } from 'typebox';
import { Data } from './common.js';
import { LocalUserSchema, Role } from './users.js';

/** Fawkes's REST forms of Phoenix's GraphQL patchViewer and patchUser (password and role changes). */
export const ChangePasswordBody = Type.Object(
  {
    current_password: Type.String({ minLength: 1, description: 'The password in use now.' }),
    new_password: Type.String({ description: 'At least 8 characters, and not the current one.' }),
  },
  { title: 'ChangePasswordRequestBody' },
);

export const PatchUserBody = Type.Object(
  {
    role: Type.Optional(Role),
    new_password: Type.Optional(
      Type.String({ description: 'Set by an admin: the user must choose another at the next login.' }),
    ),
  },
  { title: 'PatchUserRequestBody' },
);

export const AccountUserBody = Data(LocalUserSchema, 'PatchUserResponseBody');
