import { type FormEvent, useState } from 'react';
import { HDBSCAN_FIELDS, parseSetting, type SettingField, UMAP_FIELDS } from './settings.js';

type Values = Partial<Record<SettingField['name'], number>>;

/**
 * UMAP's settings (applied: a new projection), HDBSCAN's (applied: the same coordinates clustered
 * again) and the display's. Each field is checked against the server's range; a 422 from the server
 * is shown under the field it names.
 */
export function SettingsPanel({
  umap,
  hdbscan,
  onApplyUmap,
  onApplyHdbscan,
  serverErrors,
  pointSize,
  onPointSizeChange,
  busy,
}: {
  umap: Values;
  hdbscan: Values;
  onApplyUmap: (values: Values) => void;
  onApplyHdbscan: (values: Values) => void;
  serverErrors: Record<string, string>;
  pointSize: number;
  onPointSizeChange: (size: number) => void;
  busy: boolean;
}) {
  return (
    <section className="block settings-panel" aria-labelledby="settings-title">
      <h2 className="block-title" id="settings-title">
        Settings
      </h2>
      <SettingsForm
        title="UMAP"
        fields={UMAP_FIELDS}
        values={umap}
        onApply={onApplyUmap}
        serverErrors={serverErrors}
        busy={busy}
      />
      <SettingsForm
        title="HDBSCAN"
        fields={HDBSCAN_FIELDS}
        values={hdbscan}
        onApply={onApplyHdbscan}
        serverErrors={serverErrors}
        busy={busy}
      />
      <fieldset className="settings-form">
        <legend>Display</legend>
        <label className="settings-field">
          Point size (px)
          <input
            type="number"
            min={1}
            max={12}
            step={1}
            value={pointSize}
            onChange={(e) => {
              const size = Number(e.target.value);
              if (Number.isFinite(size) && size >= 1 && size <= 12) onPointSizeChange(size);
            }}
          />
        </label>
      </fieldset>
    </section>
  );
}

function SettingsForm({
  title,
  fields,
  values,
  onApply,
  serverErrors,
  busy,
}: {
  title: string;
  fields: readonly SettingField[];
  values: Values;
  onApply: (values: Values) => void;
  serverErrors: Record<string, string>;
  busy: boolean;
}) {
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, String(values[f.name] ?? f.defaultValue)])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed: Values = {};
    const found: Record<string, string> = {};
    for (const field of fields) {
      const result = parseSetting(field, texts[field.name] ?? '');
      if ('error' in result) found[field.name] = result.error;
      else parsed[field.name] = result.value;
    }
    setErrors(found);
    if (Object.keys(found).length === 0) onApply(parsed);
  };
  return (
    <form className="settings-form" aria-label={`${title} settings`} onSubmit={submit} noValidate>
      <fieldset>
        <legend>{title}</legend>
        {fields.map((field) => {
          const error = errors[field.name] ?? serverErrors[field.name];
          const errorId = `setting-${field.name}-error`;
          return (
            <label key={field.name} className="settings-field">
              {field.label}
              <input
                name={field.name}
                type="number"
                inputMode="decimal"
                min={field.min}
                max={field.max ?? undefined}
                step={field.integer ? 1 : 'any'}
                value={texts[field.name] ?? ''}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? errorId : undefined}
                onChange={(e) => setTexts({ ...texts, [field.name]: e.target.value })}
              />
              {error && (
                <span className="field-error" id={errorId} role="alert">
                  {error}
                </span>
              )}
            </label>
          );
        })}
        <button type="submit" disabled={busy}>
          Apply {title}
        </button>
      </fieldset>
    </form>
  );
}
