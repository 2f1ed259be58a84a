import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  deleteTracesOlderThan,
  putRetentionPolicy,
  type RetentionPolicy,
  restoreDefaultRetentionPolicy,
  useRetentionPolicy,
} from '../api/retention.js';
import { FormProblem } from '../components/form-parts.js';
import { ErrorState, Loading } from '../components/states.js';
import { ModelPricesSection } from './ModelPricesSection.js';

/** A positive whole number, null when empty; undefined when it is neither. */
function limitOf(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^\d+$/.test(trimmed) && Number(trimmed) > 0 ? Number(trimmed) : undefined;
}

const describe = (policy: RetentionPolicy) => {
  const parts = [
    policy.max_age_days !== null ? `traces older than ${policy.max_age_days} days` : null,
    policy.max_traces !== null
      ? `the oldest beyond ${policy.max_traces.toLocaleString('en-US')} traces`
      : null,
  ].filter(Boolean);
  const what = parts.length ? `Deletes ${parts.join(' and ')}.` : 'Keeps every trace.';
  return `${what} ${policy.source === 'default' ? "(The server's default.)" : "(This project's own policy.)"}`;
};

/** The project's settings, as Phoenix's …/config: its retention policy, a manual delete, its model prices. */
export function ConfigTab() {
  const project = useParams().project!;
  const policy = useRetentionPolicy(project);
  if (policy.isPending) return <Loading />;
  if (policy.isError) return <ErrorState error={policy.error} retry={() => void policy.refetch()} />;
  return (
    <div className="config-tab">
      <RetentionForm project={project} policy={policy.data} />
      <ManualDelete project={project} />
      <ModelPricesSection project={project} />
    </div>
  );
}

function RetentionForm({ project, policy }: { project: string; policy: RetentionPolicy }) {
  const queryClient = useQueryClient();
  const [days, setDays] = useState('');
  const [traces, setTraces] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setDays(policy.max_age_days?.toString() ?? '');
    setTraces(policy.max_traces?.toString() ?? '');
  }, [policy]);

  const run = async (action: () => Promise<RetentionPolicy>) => {
    setBusy(true);
    setProblem(null);
    try {
      queryClient.setQueryData(['retention-policy', project], await action());
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    const max_age_days = limitOf(days);
    const max_traces = limitOf(traces);
    if (max_age_days === undefined || max_traces === undefined) {
      setProblem('Limits are positive whole numbers (empty: no limit).');
      return;
    }
    void run(() => putRetentionPolicy(project, { max_age_days, max_traces }));
  };

  return (
    <section className="block">
      <h3 className="block-title">Retention policy</h3>
      <p className="muted" data-testid="retention-summary">
        {describe(policy)}
      </p>
      <form className="annotation-form" onSubmit={save} aria-label="Retention policy">
        <label>
          Maximum age (days)
          <input
            className="input"
            inputMode="numeric"
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
        </label>
        <label>
          Maximum traces
          <input
            className="input"
            inputMode="numeric"
            value={traces}
            onChange={(e) => setTraces(e.target.value)}
          />
        </label>
        <div className="form-actions wide">
          <FormProblem problem={problem} />
          {policy.source === 'project' && (
            <button
              type="button"
              className="button ghost"
              disabled={busy}
              onClick={() => void run(() => restoreDefaultRetentionPolicy(project))}
            >
              Use the server's default
            </button>
          )}
          <button type="submit" className="button" disabled={busy}>
            Save policy
          </button>
        </div>
      </form>
    </section>
  );
}

function ManualDelete({ project }: { project: string }) {
  const queryClient = useQueryClient();
  const [date, setDate] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!date) return;
    if (
      !window.confirm(`Delete every trace of ${project} that started before ${date}? This cannot be undone.`)
    )
      return;
    setBusy(true);
    setOutcome(null);
    try {
      const deleted = await deleteTracesOlderThan(project, `${date}T00:00:00+00:00`);
      setOutcome(`Deleted ${deleted.toLocaleString('en-US')} traces.`);
      await queryClient.invalidateQueries();
    } catch (e) {
      setOutcome(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="block">
      <h3 className="block-title">Delete traces older than</h3>
      <form
        className="annotation-form"
        onSubmit={(e) => void submit(e)}
        aria-label="Delete traces older than"
      >
        <label>
          Started before (UTC)
          <input className="input" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <div className="form-actions wide">
          {outcome && (
            <span className="muted" role="status">
              {outcome}
            </span>
          )}
          <button type="submit" className="button danger" disabled={busy || !date}>
            Delete traces
          </button>
        </div>
      </form>
    </section>
  );
}
