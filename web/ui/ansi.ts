// Splits a message with ANSI SGR codes (Keras 3 puts the inner error in bold)
// into text runs, so the page can show it with <strong> built from DOM nodes.
// No DOM here (tests/js/ui-logic.test.ts).

export interface Segment {
  text: string;
  bold: boolean;
}

// CSI sequences. SGR ones (...m) only format (bold is kept, colours are
// dropped); any other (clear screen, cursor moves) is shown, not obeyed.
const ESCAPE = /\u001b\[([0-9;]*)([A-Za-z])/g;
// C0 control characters but tab and newline, and DEL.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Control characters as their visible Unicode Control Pictures (ESC as ␛),
 *  so a message made of them is never shown as blank or obeyed. */
export function visibleControls(text: string): string {
  return text.replace(CONTROL, (c) => String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}

export function ansiSegments(message: string): Segment[] {
  const out: Segment[] = [];
  let bold = false;
  let last = 0;
  const push = (raw: string): void => {
    const text = visibleControls(raw);
    if (!text) return;
    const prev = out[out.length - 1];
    if (prev && prev.bold === bold) prev.text += text;
    else out.push({ text, bold });
  };
  for (const m of message.matchAll(ESCAPE)) {
    push(message.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    if (m[2] !== 'm') {
      push(m[0]);
      continue;
    }
    for (const code of (m[1] || '0').split(';')) {
      if (code === '1') bold = true;
      else if (code === '0' || code === '22' || code === '') bold = false;
    }
  }
  push(message.slice(last));
  return out;
}

/** The bold part of a Keras-wrapped message (the framework's own error), or
 *  null when nothing is bold. */
export function boldPart(message: string): string | null {
  const bold = ansiSegments(message).filter((s) => s.bold);
  return bold.length ? bold.map((s) => s.text).join('') : null;
}
