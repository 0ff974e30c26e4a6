import { comparePositions, rangeContains, type Position } from '../diagnostics/types.js';
import type { HclAttribute, HclBlock, HclBody } from '../hcl/types.js';

export const contains = rangeContains;

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
