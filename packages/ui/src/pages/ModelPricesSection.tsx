import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  createModelPrice,
  deleteModelPrice,
  fieldProblems,
  type ModelPrice,
  type NewModelPrice,
  useModelPrices,
} from '../api/model-prices.js';
import { DeleteButton, FormProblem } from '../components/form-parts.js';
import { ErrorState, Loading } from '../components/states.js';

type PriceField = keyof Omit<NewModelPrice, 'model_name_pattern' | 'provider'>;

/** The per-token prices, entered (as the providers' pages give them) per million tokens. */
const PRICE_FIELDS: { field: PriceField; label: string; required: boolean }[] = [
  { field: 'prompt_cost_per_token', label: 'Prompt', required: true },
  { field: 'completion_cost_per_token', label: 'Completion', required: true },
  { field: 'cache_read_cost_per_token', label: 'Cache read', required: false },
  { field: 'cache_write_cost_per_token', label: 'Cache write', required: false },
  { field: 'reasoning_cost_per_token', label: 'Reasoning', required: false },
];

const perMillion = (perToken: number | null) =>
  perToken === null ? '—' : `$${Number((perToken * 1e6).toPrecision(12))}`;

const EMPTY = {
  model_name_pattern: '',
  provider: '',
  ...Object.fromEntries(PRICE_FIELDS.map((f) => [f.field, ''])),
};

/** The project's own model prices (before the built-in table): listed, added, deleted. */
export function ModelPricesSection({ project }: { project: string }) {
  const queryClient = useQueryClient();
  const prices = useModelPrices(project);
  const [form, setForm] = useState<Record<string, string>>(EMPTY);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const changed = async () => {
    // Every cost figure is computed from the prices in force.
    await queryClient.invalidateQueries();
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const price: Record<string, unknown> = {
      model_name_pattern: form.model_name_pattern,
      provider: form.provider?.trim() || null,
    };
    for (const { field, required } of PRICE_FIELDS) {
      const text = form[field]?.trim() ?? '';
      if (text === '') {
        if (required) found[field] = 'Required.';
        else price[field] = null;
      } else if (Number.isNaN(Number(text))) found[field] = 'A number of US dollars per 1M tokens.';
      else price[field] = Number(text) / 1e6;
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await createModelPrice(project, price as unknown as NewModelPrice);
      setForm(EMPTY);
      await changed();
    } catch (e) {
      setProblems(fieldProblems(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (price: ModelPrice) => {
    setBusy(true);
    try {
      await deleteModelPrice(project, price.id);
      await changed();
    } catch (e) {
      setProblems(fieldProblems(e));
    } finally {
      setBusy(false);
    }
  };
  const input = (field: string, label: string, hint?: string) => (
    <label>
      {label}
      <input
        className="input"
        name={field}
        value={form[field] ?? ''}
        placeholder={hint}
        aria-invalid={problems[field] ? true : undefined}
        onChange={(e) => setForm({ ...form, [field]: e.target.value })}
      />
      {problems[field] && (
        <span className="form-problem" role="alert" data-field={field}>
          {problems[field]}
        </span>
      )}
    </label>
  );

  return (
    <section className="block" data-testid="model-prices">
      <h3 className="block-title">Model prices</h3>
      <p className="muted">
        Spans whose <code>llm.model_name</code> matches a pattern here are priced with it, before the built-in
        table; costs are computed when read, so a change shows in every figure at once. US dollars per 1M
        tokens.
      </p>
      {prices.isPending ? (
        <Loading />
      ) : prices.isError ? (
        <ErrorState error={prices.error} retry={() => void prices.refetch()} />
      ) : prices.data.length === 0 ? (
        <p className="muted">No prices of this project's own: the built-in table prices every span.</p>
      ) : (
        <table className="annotation-table">
          <thead>
            <tr>
              <th>Pattern</th>
              <th>Provider</th>
              {PRICE_FIELDS.map((f) => (
                <th key={f.field}>{f.label}</th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {prices.data.map((price) => (
              <tr key={price.id}>
                <td>
                  <code>{price.model_name_pattern}</code>
                </td>
                <td>{price.provider ?? 'any'}</td>
                {PRICE_FIELDS.map((f) => (
                  <td key={f.field}>{perMillion(price[f.field])}</td>
                ))}
                <td>
                  <DeleteButton
                    what={`price ${price.model_name_pattern}`}
                    busy={busy}
                    onDelete={() => void remove(price)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="annotation-form" onSubmit={(e) => void add(e)} aria-label="Add a model price">
        {input('model_name_pattern', 'Model name pattern', '^my-model(-\\d{8})?$')}
        {input('provider', 'Provider (optional)', 'openai')}
        {PRICE_FIELDS.map((f) => input(f.field, `${f.label}${f.required ? '' : ' (optional)'}`))}
        <div className="form-actions wide">
          <FormProblem problem={problems['']} />
          <button type="submit" className="button" disabled={busy}>
            Add price
          </button>
        </div>
      </form>
    </section>
  );
}
