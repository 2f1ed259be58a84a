import type { UiAnnotationChip } from '../api/types.js';
import { formatScore } from './format.js';

export function StatusBadge({ code, message }: { code: string | null; message?: string }) {
  if (!code) return null;
  const label = code === 'ERROR' ? 'error' : code === 'OK' ? 'ok' : 'unset';
  return (
    <span className={`status status-${label}`} title={message || code}>
      {label}
    </span>
  );
}

export function KindBadge({ kind }: { kind: string }) {
  return <span className={`kind kind-${kind.toLowerCase()}`}>{kind.toLowerCase()}</span>;
}

export function AnnotationChips({ chips, max = 3 }: { chips: readonly UiAnnotationChip[]; max?: number }) {
  if (chips.length === 0) return null;
  const shown = chips.slice(0, max);
  return (
    <span className="chips">
      {shown.map((chip, i) => (
        <span
          // biome-ignore lint/suspicious/noArrayIndexKey: chips of one row may repeat a name
          key={i}
          className={`chip chip-${chip.annotator_kind.toLowerCase()}`}
          title={`${chip.name} (${chip.annotator_kind})${chip.label ? ` label: ${chip.label}` : ''}${chip.score !== null ? ` score: ${chip.score}` : ''}`}
        >
          <span className="chip-name">{chip.name}</span>
          {chip.label && <span className="chip-value">{chip.label}</span>}
          {chip.score !== null && <span className="chip-value">{formatScore(chip.score)}</span>}
        </span>
      ))}
      {chips.length > max && <span className="chip chip-more">+{chips.length - max}</span>}
    </span>
  );
}
