import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useViewer } from '../../api/auth.js';
import {
  createUser,
  deleteUser,
  setUserRole,
  type UserRecord,
  type UserRole,
  usersKey,
  useUsers,
} from '../../api/auth-admin.js';
import { DeleteButton } from '../../components/form-parts.js';
import { ErrorState, Loading } from '../../components/states.js';

const ROLES: UserRole[] = ['ADMIN', 'MEMBER', 'VIEWER'];

/** /settings/users (admins): the users, created with a role, their role changed, deleted (not oneself). */
export function UsersSection() {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const users = useUsers();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const me = viewer.data?.auth_method === 'LOCAL' ? viewer.data.id : null;

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      return true;
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      return false;
    } finally {
      await queryClient.invalidateQueries({ queryKey: usersKey });
      setBusy(false);
    }
  };
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    void run(() =>
      createUser({
        username: String(form.get('username')).trim(),
        email: String(form.get('email')).trim(),
        role: String(form.get('role')) as UserRole,
        password: String(form.get('password')),
      }),
    ).then((done) => done && formElement.reset());
  };
  const remove = (user: UserRecord) => {
    if (!window.confirm(`Delete the user ${user.username}? Their sessions and API keys end.`)) return;
    void run(() => deleteUser(user.id));
  };
  const shown = (users.data ?? []).filter((u) => u.role !== 'SYSTEM');

  return (
    <section className="block" data-testid="users">
      <h3 className="block-title">Users</h3>
      <p className="muted">
        VIEWER reads; MEMBER also writes (spans, annotations, deletes); ADMIN also manages users and system
        keys.
      </p>
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <ErrorState error={users.error} retry={() => void users.refetch()} />
      ) : (
        <table className="annotation-table" aria-label="Users">
          <thead>
            <tr>
              <th>Username</th>
              <th>Email</th>
              <th>Role</th>
              <th>Password</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((user) => (
              <tr key={user.id} data-username={user.username}>
                <td>
                  {user.username}
                  {user.id === me && <span className="muted"> (you)</span>}
                </td>
                <td>{user.email}</td>
                <td>
                  {user.id === me ? (
                    user.role
                  ) : (
                    <select
                      className="input"
                      aria-label={`Role of ${user.username}`}
                      value={user.role}
                      disabled={busy}
                      onChange={(e) => void run(() => setUserRole(user.id, e.target.value as UserRole))}
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td>{user.password_needs_reset ? 'to be changed at next login' : 'set'}</td>
                <td className="actions">
                  {user.id !== me && (
                    <DeleteButton what={`user ${user.username}`} busy={busy} onDelete={() => remove(user)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="annotation-form" onSubmit={create} aria-label="Add a user">
        <label>
          Username
          <input className="input" name="username" required autoComplete="off" />
        </label>
        <label>
          Email
          <input className="input" name="email" type="email" required autoComplete="off" />
        </label>
        <label>
          Role
          <select className="input" name="role" defaultValue="MEMBER">
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <label>
          Initial password (to be changed at first login)
          <input className="input" name="password" type="password" autoComplete="new-password" required />
        </label>
        <div className="form-actions wide">
          <button type="submit" className="button" disabled={busy}>
            Add user
          </button>
        </div>
      </form>
    </section>
  );
}
