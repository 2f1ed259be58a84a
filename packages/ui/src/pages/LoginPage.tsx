import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { changePassword, logIn, useViewer } from '../api/auth.js';
import { ApiError } from '../api/client.js';

/** Only a path of this app (never another site) is followed after logging in. */
function returnPath(value: string | null): string {
  return value?.startsWith('/') && !value.startsWith('//') && !value.startsWith('/login')
    ? value
    : '/projects';
}

const message = (error: unknown) =>
  error instanceof ApiError && error.status === 401 && !/current/.test(error.message)
    ? 'Invalid email and/or password'
    : error instanceof Error
      ? error.message
      : String(error);

/** /login: email and password; then back to where the user was (or to the forced password change). */
export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const back = returnPath(params.get('return_to'));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setProblem(null);
    try {
      await logIn(String(form.get('email')), String(form.get('password')));
      queryClient.clear();
      navigate(back, { replace: true });
    } catch (error) {
      setProblem(message(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} aria-label="Log in">
        <h1>Log in to Fawkes</h1>
        <label className="auth-field">
          Email
          <input className="input" name="email" type="email" autoComplete="username" required />
        </label>
        <label className="auth-field">
          Password
          <input className="input" name="password" type="password" autoComplete="current-password" required />
        </label>
        {problem && (
          <p className="form-problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </div>
  );
}

/** /reset-password: the forced change (and a voluntary one); the new password twice. */
export function ChangePasswordPage() {
  const viewer = useViewer();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const forced = viewer.data?.auth_method === 'LOCAL' && viewer.data.password_needs_reset;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = String(form.get('new_password'));
    if (next !== String(form.get('confirm_password'))) {
      setProblem('The two new passwords differ');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await changePassword(String(form.get('current_password')), next);
      await queryClient.invalidateQueries({ queryKey: ['viewer'] });
      navigate(returnPath(params.get('return_to')), { replace: true });
    } catch (error) {
      setProblem(message(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} aria-label="Change password">
        <h1>{forced ? 'Choose a new password' : 'Change password'}</h1>
        {forced && <p className="muted">Your password must be changed before you continue.</p>}
        <label className="auth-field">
          Current password
          <input
            className="input"
            name="current_password"
            type="password"
            autoComplete="current-password"
            required
          />
        </label>
        <label className="auth-field">
          New password (at least 8 characters)
          <input className="input" name="new_password" type="password" autoComplete="new-password" required />
        </label>
        <label className="auth-field">
          New password again
          <input
            className="input"
            name="confirm_password"
            type="password"
            autoComplete="new-password"
            required
          />
        </label>
        {problem && (
          <p className="form-problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Change password'}
        </button>
      </form>
    </div>
  );
}
