import { autocompletion, type Completion, type CompletionContext } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { type Diagnostic, linter } from '@codemirror/lint';
import { EditorState, type Extension, type Range } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  EditorView,
  keymap,
  placeholder,
  ViewPlugin,
  type ViewUpdate,
} from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { UiFilterVocabulary } from '../../api/types.js';
import { completeFilter } from './completions.js';
import { filterProblem, highlightRanges, problemRange, type TokenClass } from './tokens.js';

export interface FilterEditorProps {
  /** The text being edited. */
  text: string;
  onChange: (text: string) => void;
  /** Enter (when no completion is open). */
  onEnter: () => void;
  /** Escape (when no completion is open). */
  onEscape: () => void;
  /** What the project has: read at each completion, so a later answer is used at once. */
  vocabulary: UiFilterVocabulary | undefined;
  describedBy?: string | undefined;
}

const MARKS: Record<TokenClass, Decoration> = {
  name: Decoration.mark({ class: 'fq-name' }),
  keyword: Decoration.mark({ class: 'fq-keyword' }),
  string: Decoration.mark({ class: 'fq-string' }),
  number: Decoration.mark({ class: 'fq-number' }),
  operator: Decoration.mark({ class: 'fq-operator' }),
  invalid: Decoration.mark({ class: 'fq-invalid' }),
};

const SQUIGGLE = Decoration.mark({ class: 'filter-squiggle' });

function decorations(view: EditorView): DecorationSet {
  const text = view.state.doc.toString();
  const marks: Range<Decoration>[] = highlightRanges(text).map((r) => MARKS[r.cls].range(r.from, r.to));
  // The checker's error, underlined at once at the characters it names (the lint below adds its
  // message on hover).
  const problem = filterProblem(text);
  if (problem) {
    const { from, to } = problemRange(text, problem);
    if (to > from) marks.push(SQUIGGLE.range(from, to));
  }
  return Decoration.set(marks, true);
}

/** Highlighting from the query package's tokenizer (one grammar: the server's), and the error. */
const tokenHighlighting = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = decorations(view);
    }
    update(update: ViewUpdate) {
      if (update.docChanged) this.decorations = decorations(update.view);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

/** The checker's error, underlined at the characters it names, with its message. */
const checkerLint = linter(
  (view): Diagnostic[] => {
    const text = view.state.doc.toString();
    const problem = filterProblem(text);
    if (!problem) return [];
    const { from, to } = problemRange(text, problem);
    return [{ from, to, severity: 'error', message: problem.message }];
  },
  { delay: 50 },
);

/** A filter is one line: a pasted newline becomes a space. */
const singleLine = EditorState.transactionFilter.of((tr) => {
  if (!tr.docChanged || tr.newDoc.lines === 1) return tr;
  const flat = tr.newDoc.toString().replace(/\r?\n/g, ' ');
  return [tr, { changes: { from: 0, to: tr.newDoc.length, insert: flat }, sequential: true }];
});

const theme = EditorView.theme({
  '&': { flex: '1', minWidth: '0', fontFamily: 'var(--mono, ui-monospace, monospace)', fontSize: '13px' },
  '&.cm-focused': { outline: 'none' },
  '.cm-content': { padding: '6px 0', caretColor: 'currentColor' },
  '.cm-line': { padding: '0 4px' },
  '.cm-scroller': { overflowX: 'auto', overflowY: 'hidden', fontFamily: 'inherit' },
  '.fq-name': { color: 'var(--accent, #2f6fde)' },
  '.fq-keyword': { color: '#a04ec8', fontWeight: '600' },
  '.fq-string': { color: '#2e8b57' },
  '.fq-number': { color: '#c0661b' },
  '.fq-operator': { color: 'var(--muted, #888)' },
  '.fq-invalid': { color: '#d33' },
  '.filter-squiggle': { textDecoration: 'underline wavy #d33', textUnderlineOffset: '3px' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { background: 'var(--accent, #2f6fde)', color: '#fff' },
  '.cm-tooltip': { fontSize: '12px' },
});

export default function FilterEditor(props: FilterEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const complete = (context: CompletionContext) => {
      const result = completeFilter(
        context.state.doc.toString(),
        context.pos,
        latest.current.vocabulary,
        context.explicit,
      );
      if (!result) return null;
      const options: Completion[] = result.options.map((o) => ({
        label: o.label,
        type: o.type === 'field' ? 'property' : o.type === 'keyword' ? 'keyword' : 'variable',
        ...(o.apply !== undefined ? { apply: o.apply } : {}),
        ...(o.detail !== undefined ? { detail: o.detail } : {}),
        ...(o.boost !== undefined ? { boost: o.boost } : {}),
      }));
      return { from: result.from, options };
    };
    const extensions: Extension[] = [
      history(),
      singleLine,
      tokenHighlighting,
      checkerLint,
      autocompletion({ override: [complete], activateOnTyping: true, icons: true, interactionDelay: 0 }),
      keymap.of([
        {
          key: 'Enter',
          run: () => {
            latest.current.onEnter();
            return true;
          },
        },
        {
          key: 'Escape',
          run: () => {
            latest.current.onEscape();
            return true;
          },
        },
        ...historyKeymap,
        ...defaultKeymap,
      ]),
      placeholder("e.g. span_kind == 'LLM' and latency_ms > 500"),
      EditorView.contentAttributes.of({
        'aria-label': 'Filter expression',
        spellcheck: 'false',
        autocorrect: 'off',
        autocapitalize: 'off',
      }),
      EditorView.contentAttributes.compute(['doc'], (state) => ({
        'aria-invalid': String(filterProblem(state.doc.toString()) !== null),
      })),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) latest.current.onChange(update.state.doc.toString());
      }),
      theme,
    ];
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({ doc: latest.current.text, extensions }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  // The text changed from outside (Escape, Clear, an example, the URL): the editor follows.
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== props.text) {
      editor.dispatch({
        changes: { from: 0, to: editor.state.doc.length, insert: props.text },
        selection: { anchor: props.text.length },
      });
    }
  }, [props.text]);

  useEffect(() => {
    const content = view.current?.contentDOM;
    if (!content) return;
    if (props.describedBy) content.setAttribute('aria-describedby', props.describedBy);
    else content.removeAttribute('aria-describedby');
  }, [props.describedBy]);

  return <div className="filter-editor" ref={host} data-testid="filter-editor" />;
}
