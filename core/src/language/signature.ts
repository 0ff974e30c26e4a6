import { LineIndex } from '../diagnostics/line-index.js';
import type { Position } from '../diagnostics/types.js';
import { tokenize } from '../format/tokens.js';
import { FUNCTION_SIGNATURES } from '../terraform/functions.data.js';

export interface SignatureHelp {
  signatures: { label: string; documentation?: { kind: 'markdown'; value: string }; parameters: { label: [number, number] }[] }[];
  activeSignature: number;
  activeParameter: number;
}

/** The signature of a Terraform function (`format(format string, args any...) any`) with each parameter's place in it. */
export function functionSignature(name: string): SignatureHelp['signatures'][number] | undefined {
  const signature = Object.hasOwn(FUNCTION_SIGNATURES, name) ? FUNCTION_SIGNATURES[name] : undefined;
  if (!signature) return undefined;
  const [parameters, variadic, returns] = signature;
  let label = `${name}(`;
  const places: { label: [number, number] }[] = [];
  for (const [index, parameter] of [...parameters, ...(variadic ? [`${variadic}...`] : [])].entries()) {
    if (index > 0) label += ', ';
    places.push({ label: [label.length, label.length + parameter.length] });
    label += parameter;
  }
  label += `) ${returns}`;
  return { label, documentation: { kind: 'markdown', value: `[${name} in the Terraform documentation](https://developer.hashicorp.com/terraform/language/functions/${name})` }, parameters: places };
}

/**
 * Signature help inside a call of a built-in function: the innermost call
 * open at the position (from the tokens before it, so strings, templates and
 * comments are no commas), and which argument is being written.
 */
export function signatureHelp(text: string, position: Position): SignatureHelp | undefined {
  const lines = new LineIndex(text);
  if (position.line >= lines.lineCount) return undefined;
  const offset = lines.offsetAt(position);
  // From the start of the top-level block around the position (a line starting with a name): large files stay fast.
  let from = offset;
  for (;;) {
    const lineStart = text.lastIndexOf('\n', from - 1) + 1;
    if (lineStart === 0 || /[A-Za-z_]/.test(text[lineStart] ?? '')) {
      from = lineStart;
      break;
    }
    from = lineStart - 1;
  }
  const open: { name?: string; commas: number }[] = [];
  const tokens = tokenize(text.slice(from, offset));
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.type === 'OParen') {
      const before = tokens[index - 1];
      // `provider::NS::name(` is a provider's function: no signature here.
      open.push({ ...(before?.type === 'Ident' && tokens[index - 2]?.type !== 'DoubleColon' ? { name: before.text } : {}), commas: 0 });
    } else if (token.type === 'OBrack' || token.type === 'OBrace' || token.type === 'TemplateInterp' || token.type === 'TemplateControl') open.push({ commas: 0 });
    else if (token.type === 'CParen' || token.type === 'CBrack' || token.type === 'CBrace' || token.type === 'TemplateSeqEnd') open.pop();
    else if (token.type === 'Comma' && open.length) open[open.length - 1]!.commas++;
  }
  const call = open[open.length - 1];
  const signature = call?.name ? functionSignature(call.name) : undefined;
  if (!call || !signature) return undefined;
  const [parameters, variadic] = FUNCTION_SIGNATURES[call.name!]!;
  const last = parameters.length + (variadic ? 1 : 0) - 1;
  return { signatures: [signature], activeSignature: 0, activeParameter: Math.max(0, Math.min(call.commas, last)) };
}
