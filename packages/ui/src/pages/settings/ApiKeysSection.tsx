import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useViewer } from '../../api/auth.js';
import {
  type ApiKey,
  apiKeysKey,
  createApiKey,
  deleteApiKey,
  type KeyKind,
  useApiKeys,
} from '../../api/auth-admin.js';
import { DeleteButton, FormProblem } from '../../components/form-parts.js';
import { ErrorState, Loading } from '../../components/states.js';
import { copyText } from './copy-text.js';
import { isAdmin } from './SettingsLayout.js';

const dateTime = (iso: string | null) =>
  iso === null ? 'never' : new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** The end of the chosen day (local time), as the API takes it; empty: never. */
function expiryOf(day: string): string | null {
  if (!day) return null;
  const end = new Date(`${day}T23:59:59`);
  return Number.isNaN(end.getTime()) ? null : end.toISOString();
}

/** The key just made: shown this once, with a copy button. */
function NewKey({ value, onDone }: { value: string; onDone(): void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <section className="new-key" aria-label="New API key">
      <p>
        <strong>Copy this key now:</strong> it is not shown again (the server keeps only its hash).
      </p>
      <div className="new-key-row">
        <code data-testid="new-api-key">{value}</code>
        <button type="button" className="button" onClick={() => void copyText(value).then(setCopied)}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button ghost" onClick={onDone}>
          Done
        </button>
      </div>
      {copied === false && (
        <p className="form-problem" role="alert">
          The browser refused to copy: select the key and copy it by hand.
        </p>
      )}
    </section>
  );
}

function KeyList({ kind, title, hint }: { kind: KeyKind; title: string; hint: string }) {
  const queryClient = useQueryClient();
  const keys = useApiKeys(kind);
  const [created, setCreated] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = kind === 'user' ? 'Create a user API key' : 'Create a system API key';

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      await queryClient.invalidateQueries({ queryKey: apiKeysKey(kind) });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get('name')).trim();
    if (!name) {
      setProblem('A key needs a name');
      return;
    }
    const description = String(form.get('description') ?? '').trim();
    void run(async () => {
      const key = await createApiKey(kind, {
        name,
        description: description || null,
        expires_at: expiryOf(String(form.get('expires') ?? '')),
      });
      setCreated(key.key);
      formElement.reset();
    });
  };
  const remove = (key: ApiKey) => {
    if (!window.confirm(`Delete the API key "${key.name}"? Whatever uses it is refused from now on.`)) return;
    void run(() => deleteApiKey(kind, key.id));
  };

  return (
    <section className="block" data-testid={`${kind}-api-keys`}>
      <h3 className="block-title">{title}</h3>
      <p className="muted">{hint}</p>
      {created && <NewKey value={created} onDone={() => setCreated(null)} />}
      {keys.isPending ? (
        <Loading />
      ) : keys.isError ? (
        <ErrorState error={keys.error} retry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <p className="muted">No keys yet.</p>
      ) : (
        <table className="annotation-table" aria-label={title}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th>Created</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>{key.description ?? ''}</td>
                <td>{dateTime(key.created_at)}</td>
                <td>{dateTime(key.expires_at)}</td>
                <td className="actions">
                  <DeleteButton what={`key ${key.name}`} busy={busy} onDelete={() => remove(key)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="annotation-form" onSubmit={create} aria-label={label}>
        <label>
          Name
          <input className="input" name="name" required />
        </label>
        <label>
          Description (optional)
          <input className="input" name="description" />
        </label>
        <label>
          Expires (optional)
          <input className="input" name="expires" type="date" />
        </label>
        <div className="form-actions wide">
          <FormProblem problem={problem} />
          <button type="submit" className="button" disabled={busy}>
            Create key
          </button>
        </div>
      </form>
    </section>
  );
}

/** /settings/api-keys: one's own keys; admins also the system keys. */
export function ApiKeysSection() {
  const viewer = useViewer();
  if (viewer.data?.auth_method !== 'LOCAL') return null;
  return (
    <>
      <KeyList
        kind="user"
        title="Your API keys"
        hint={`Act as you (${viewer.data.role}) from a client or exporter: Authorization: Bearer <key>, or PHOENIX_API_KEY.`}
      />
      {isAdmin(viewer.data) && (
        <KeyList
          kind="system"
          title="System API keys"
          hint="Belong to the system user, not to a person: for services (collectors, CI), and they outlive any user."
        />
      )}
    </>
  );
}
