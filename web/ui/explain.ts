// A plain-language reading of an error from its structure (op, shapes,
// failing axes, Keras call). No DOM (tests/js/ui-logic.test.ts).
import type { RunError } from '../core/types';

const dims = (shape: readonly number[] | undefined): string => (shape ? `(${shape.join(', ')})` : '?');

/** Attention given a mask list of one (or more than three) masks: Keras
 *  rejects it before computing anything. Read from the call's arguments. */
function maskListOfWrongLength(error: RunError): boolean {
  const call = error.keras_call;
  if (!call || !['Attention', 'AdditiveAttention'].includes(call.class_name)) return false;
  const mask = call.argument_tensors?.find((arg) => arg.name === 'mask')?.value;
  return Array.isArray(mask) && (mask.length < 2 || mask.length > 3);
}

export function explainError(error: RunError): string[] {
  const out: string[] = [];
  const [a, b] = error.shapes ?? [];
  const [axA, axB] = error.failing_axes ?? [];
  if (error.keras_call) {
    out.push(`Keras' ${error.keras_call.class_name} layer “${error.keras_call.layer_name}” raised this inside its call(); Keras wraps the inner error with the arguments it received (see the full text).`);
  }
  if (error.kind === 'IncompatibleShapes' && a && b) {
    const where = axA !== undefined ? ` Axis ${axA} is ${a[axA] ?? '?'} in the first and ${b[axB ?? axA] ?? '?'} in the second.` : '';
    out.push(`TensorFlow's ${error.op ?? 'elementwise'} op pairs the two tensors element by element, lining their axes up from the right; it can only stretch an axis of size 1. ${dims(a)} and ${dims(b)} do not line up.${where}`);
  } else if (error.kind === 'MatMulSizeIncompatible' && a && b) {
    const inner = a[a.length - 1];
    const rows = b[b.length - 2];
    out.push(`A matrix product multiplies the last axis of the first operand with the second-to-last axis of the second: ${dims(a)} has ${inner ?? '?'} there and ${dims(b)} has ${rows ?? '?'}. They must be equal.`);
  } else if (error.kind === 'SelectNotBroadcastable') {
    out.push(`TensorFlow's ${error.op ?? 'select'} op needs the condition, the values and the fallback to broadcast to one shape; the shapes listed do not.`);
  } else if (maskListOfWrongLength(error)) {
    out.push('Attention takes mask=[query_mask, value_mask] (a list of 2, or 3 with a key mask); a list of one mask is rejected before anything is computed. Use None for a mask you do not need.');
  } else if (error.framework === 'python') {
    out.push(`Python raised ${error.type}: the program failed before any tensor operation.`);
  } else if (!error.keras_call) {
    out.push(`${error.framework === 'keras' ? 'Keras' : error.framework === 'tensorflow' ? 'TensorFlow' : 'The program'} raised ${error.type}${error.op ? ` in the ${error.op} op` : ''}.`);
  }
  if (error.note) out.push(error.note);
  return out;
}
