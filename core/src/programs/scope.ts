import type { Node } from 'web-tree-sitter';
import type { Finding } from '../diagnostics/types.js';
import { suggest } from '../util/suggest.js';
import { sdkMember, type ProgramSdk, type SdkMember } from './sdks.js';

/** What a local name is bound to by a file's imports. */
export type Binding = { kind: 'namespace'; sdk: ProgramSdk; path: string } | { kind: 'member'; sdk: ProgramSdk; member: SdkMember; path: string };

/** How a language writes `object.name` in its tree (Python `attribute`, TypeScript `member_expression`). */
export interface MemberSyntax {
  type: string;
  object: string;
  property: string;
}

export type UnknownMember = (sdk: ProgramSdk, module: string, name: string, node: Node) => void;

/** The finding for a name an SDK does not export. */
export function unknownClass(sdk: ProgramSdk, module: string, name: string): Finding {
  const classes = [...sdk.classes.keys()];
  const { hint, fix } = suggest(name, classes);
  return { code: 'lagoon/unknown-resource-type', message: `'${name}' is not a class of ${module}${hint || `; its resource classes are ${classes.join(', ')}`}`, ...fix };
}

/**
 * What names of a file mean: the SDK namespaces, classes and args classes
 * its imports bind (and the SDKs a wildcard import brings in, in Python).
 */
export class SdkScope {
  constructor(
    private readonly syntax: MemberSyntax,
    private readonly onUnknown?: UnknownMember,
    readonly bindings = new Map<string, Binding>(),
    readonly wildcard: ProgramSdk[] = [],
  ) {}

  /** The same names, reporting nothing (reading one call again must not add findings to the file's). */
  silent(): SdkScope {
    return new SdkScope(this.syntax, undefined, this.bindings, this.wildcard);
  }

  /** What a callee names, when it is an SDK class or args class: by binding, wildcard import or member path. */
  resolve(node: Node): { member: SdkMember; sdk: ProgramSdk; path: string } | undefined {
    if (node.type === 'identifier') {
      const binding = this.bindings.get(node.text);
      if (binding) return binding.kind === 'member' && (binding.member.kind === 'class' || binding.member.kind === 'args') ? binding : undefined;
      for (const sdk of this.wildcard) {
        const member = sdkMember(sdk, node.text);
        if (member.kind === 'class' || member.kind === 'args') return { member, sdk, path: node.text };
      }
      return undefined;
    }
    if (node.type !== this.syntax.type) return undefined;
    const object = node.childForFieldName(this.syntax.object);
    const property = node.childForFieldName(this.syntax.property);
    if (!object || !property) return undefined;
    const base = this.namespaceOf(object);
    if (!base) return undefined;
    const member = sdkMember(base.sdk, property.text);
    if (member.kind === 'unknown') this.onUnknown?.(base.sdk, base.path, property.text, property);
    return member.kind === 'class' || member.kind === 'args' ? { member, sdk: base.sdk, path: `${base.path}.${property.text}` } : undefined;
  }

  /** The SDK namespace an expression names (`pulumi_lagoon`, `lagoon.lagoon`), if any. */
  namespaceOf(node: Node): { sdk: ProgramSdk; path: string } | undefined {
    if (node.type === 'identifier') {
      const binding = this.bindings.get(node.text);
      return binding?.kind === 'namespace' ? binding : undefined;
    }
    if (node.type !== this.syntax.type) return undefined;
    const base = this.namespaceOf(node.childForFieldName(this.syntax.object)!);
    const name = node.childForFieldName(this.syntax.property)?.text;
    return base && name && base.sdk.submodules.includes(name) ? { sdk: base.sdk, path: `${base.path}.${name}` } : undefined;
  }
}
