// The code editor (CodeMirror 6, Python). Owns #editor. Edits are reported
// through onChange; fixes arrive as one undoable change each.
import { defaultKeymap, history, historyKeymap, undo } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { annotationsExtension, setMarks, type Marks } from './annotations';
import type { Change } from './fix-logic';

export interface Editor {
  getCode(): string;
  /** Replaces the whole text (a new scenario): not reported as an edit. */
  setCode(code: string): void;
  /** Applies a change as the learner would (undoable; reported as an edit). */
  applyChange(change: Change): void;
  undo(): void;
  setMarks(marks: Marks): void;
  focus(): void;
}

// Typing over (or deleting) a selection is applied as a CodeMirror
// transaction instead of Chromium's native contenteditable edit, which the
// hostile-input suite caught doing two kinds of damage: select-all + typing
// over one long line of thousands of highlighted tokens (5000 nested braces)
// took minutes and gigabytes, freezing the page; and select-all + typing over
// a program with shape notes folded a note's text ("value_tensor: (1, 1200,
// 2) float32") into the user's code.
const replaceSelectionAsTransaction = EditorView.domEventHandlers({
  beforeinput(event, view) {
    const { ranges, main } = view.state.selection;
    if (ranges.length !== 1 || main.empty || view.composing || !view.state.facet(EditorView.editable)) return false;
    const insert = event.inputType === 'insertText' ? (event.data ?? '') : event.inputType.startsWith('deleteContent') ? '' : null;
    if (insert === null) return false;
    event.preventDefault();
    view.dispatch(view.state.replaceSelection(insert), { userEvent: !insert ? 'delete.selection' : insert.includes('\n') ? 'input.paste' : 'input.type', scrollIntoView: true });
    return true;
  },
});

export function setupEditor(el: HTMLElement, initial: string, onChange: (code: string) => void, options: { readOnly?: boolean } = {}): Editor {
  const extensions = [
    // An embed with readonly=1 shows the code without letting it be edited.
    ...(options.readOnly ? [EditorState.readOnly.of(true), EditorView.editable.of(false)] : []),
    lineNumbers(),
    annotationsExtension(),
    history(),
    drawSelection(),
    highlightActiveLine(),
    indentOnInput(),
    bracketMatching(),
    python(),
    syntaxHighlighting(classHighlighter),
    EditorState.tabSize.of(4),
    EditorView.lineWrapping,
    replaceSelectionAsTransaction,
    // Tab is left to move focus (keyboard users must be able to leave the editor).
    keymap.of([...defaultKeymap, ...historyKeymap]),
    EditorView.contentAttributes.of({ 'aria-label': 'Program (Python). Edits re-run automatically.' }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange(update.state.doc.toString());
    }),
  ];
  const view = new EditorView({ parent: el, state: EditorState.create({ doc: initial, extensions }) });
  return {
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      if (code === view.state.doc.toString()) return;
      // A fresh state: the previous scenario's undo history does not carry over.
      view.setState(EditorState.create({ doc: code, extensions }));
    },
    applyChange(change) {
      view.dispatch({ changes: change, userEvent: 'input.fix', selection: { anchor: change.from + change.insert.length } });
    },
    undo: () => void undo(view),
    setMarks: (marks) => view.dispatch({ effects: setMarks.of(marks) }),
    focus: () => view.focus(),
  };
}
