import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { UiSpanDetail } from '../api/types.js';
import { KindBadge } from '../components/badges.js';
import { formatCount, formatLatency } from '../components/format.js';
import { buildTree, visibleRows } from './span-tree.js';
import { TimeAxis } from './trace/TimeAxis.js';

const ROW = 34;

/**
 * The span tree of a trace: collapsible, each span with its kind, name, tokens, latency and a bar
 * placing it on the trace's timeline. ↑/↓ select, ←/→ collapse and expand, Enter shows details.
 */
export function SpanTree(props: {
  spans: readonly UiSpanDetail[];
  traceStart: number;
  traceEnd: number;
  selected: string | null;
  onSelect: (spanId: string) => void;
  /** Spans matching the trace search: highlighted. */
  matches?: ReadonlySet<string>;
  /** When set, only these spans are shown (the matches and their ancestors). */
  keep?: ReadonlySet<string> | null;
  /** Shown in the toolbar (the trace search). */
  tools?: ReactNode;
}) {
  const { spans, traceStart, traceEnd, selected, onSelect, matches, keep, tools } = props;
  const roots = useMemo(() => buildTree(spans), [spans]);
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const rows = useMemo(
    () => visibleRows(roots, collapsed).filter((row) => !keep || keep.has(row.span.span_id)),
    [roots, collapsed, keep],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 10,
  });
  const duration = Math.max(1, traceEnd - traceStart);
  const selectedIndex = rows.findIndex((r) => r.span.span_id === selected);

  // A span selected from outside (the search's next / previous) is shown: its ancestors opened, the
  // tree scrolled to it.
  const parentOf = useMemo(() => new Map(spans.map((s) => [s.span_id, s.parent_id])), [spans]);
  useEffect(() => {
    if (!selected) return;
    setCollapsed((current) => {
      const closed: string[] = [];
      for (let id = parentOf.get(selected); id; id = parentOf.get(id)) if (current.has(id)) closed.push(id);
      if (closed.length === 0) return current;
      const next = new Set(current);
      for (const id of closed) next.delete(id);
      return next;
    });
  }, [selected, parentOf]);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const toggle = (spanId: string, open?: boolean) =>
    setCollapsed((current) => {
      const next = new Set(current);
      const isOpen = !next.has(spanId);
      if (open ?? !isOpen) next.delete(spanId);
      else next.add(spanId);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent) => {
    const node = rows[selectedIndex];
    const go = (index: number) => {
      const clamped = Math.max(0, Math.min(rows.length - 1, index));
      const row = rows[clamped];
      if (row) {
        onSelect(row.span.span_id);
        virtualizer.scrollToIndex(clamped, { align: 'auto' });
      }
    };
    switch (event.key) {
      case 'ArrowDown':
        go(selectedIndex + 1);
        break;
      case 'ArrowUp':
        go(selectedIndex - 1);
        break;
      case 'ArrowLeft':
        if (node) toggle(node.span.span_id, false);
        break;
      case 'ArrowRight':
        if (node) toggle(node.span.span_id, true);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div className="span-tree">
      <div className="span-tree-tools">
        <button type="button" className="button ghost small" onClick={() => setCollapsed(new Set())}>
          Expand all
        </button>
        <button
          type="button"
          className="button ghost small"
          onClick={() =>
            setCollapsed(new Set(spans.map((s) => s.parent_id).filter((id): id is string => id !== null)))
          }
        >
          Collapse all
        </button>
        <span className="muted">{formatCount(spans.length)} spans</span>
        {tools}
      </div>
      <TimeAxis durationUs={traceEnd - traceStart} />
      <div
        ref={scrollRef}
        className="span-tree-body"
        role="tree"
        aria-label="Span tree"
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const node = rows[item.index]!;
            const { span } = node;
            const hasChildren = node.children.length > 0;
            const open = !collapsed.has(span.span_id);
            const left = ((span.start_us - traceStart) / duration) * 100;
            const width = Math.max(0.5, ((span.end_us - span.start_us) / duration) * 100);
            const tokens = span.cumulative_token_count_prompt + span.cumulative_token_count_completion;
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the tree handles keys for its items
              <div
                key={span.span_id}
                role="treeitem"
                tabIndex={-1}
                aria-selected={span.span_id === selected}
                aria-expanded={hasChildren ? open : undefined}
                aria-level={node.depth + 1}
                className={`tree-row${span.span_id === selected ? ' selected' : ''}${matches?.has(span.span_id) ? ' match' : ''}`}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => onSelect(span.span_id)}
                data-testid="span-tree-row"
              >
                <div className="tree-label" style={{ paddingLeft: `${node.depth * 16 + 4}px` }}>
                  {hasChildren ? (
                    <button
                      type="button"
                      className="tree-toggle"
                      aria-label={open ? 'Collapse' : 'Expand'}
                      onClick={(e) => {
                        e.stopPropagation();
                        toggle(span.span_id);
                      }}
                    >
                      {open ? '▾' : '▸'}
                    </button>
                  ) : (
                    <span className="tree-toggle" />
                  )}
                  <KindBadge kind={span.span_kind} />
                  <span className="tree-name" title={span.name}>
                    {span.name}
                  </span>
                  {span.status_code === 'ERROR' && (
                    <span className="error-mark" title={span.status_message || 'error'}>
                      ●
                    </span>
                  )}
                  {tokens > 0 && <span className="muted small">{formatCount(tokens)} tok</span>}
                </div>
                <div className="tree-timeline" title={formatLatency(span.latency_ms)}>
                  <div
                    className={`timeline-bar kind-bar-${span.span_kind.toLowerCase()}${span.status_code === 'ERROR' ? ' error' : ''}`}
                    style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
                  />
                </div>
                <span className="timeline-label">{formatLatency(span.latency_ms)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
