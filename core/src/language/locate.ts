import { comparePositions, type Position, type Range } from '../diagnostics/types.js';
import type { HclAttribute, HclBlock, HclBody } from '../hcl/types.js';

export function contains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

/** The blocks whose bodies hold `position`, outermost first. */
export function blockPath(body: HclBody, position: Position): HclBlock[] {
  const path: HclBlock[] = [];
  let blocks = body.blocks;
  for (;;) {
    const inner = blocks.find((block) => comparePositions(block.bodyRange.start, position) <= 0 && comparePositions(position, block.bodyRange.end) <= 0);
    if (!inner) return path;
    path.push(inner);
    blocks = inner.blocks;
  }
}

/** The top-level block whose text holds `position` (header included). */
export function topLevelBlockAt(body: HclBody, position: Position): HclBlock | undefined {
  return body.blocks.find((block) => contains(block.range, position));
}

export function attributeAt(block: HclBlock | HclBody, position: Position): HclAttribute | undefined {
  return block.attributes.find((attr) => contains(attr.range, position));
}
