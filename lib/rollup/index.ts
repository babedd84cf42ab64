export { add } from './add.ts';
export { emptyRollup } from './empty.ts';
export { boundedKey, LIMITS, OTHER } from './limits.ts';
export { merge, mergeAll } from './merge.ts';
export { emptySketch, SKETCH_ALPHA, sketchAdd, sketchMean, sketchMerge, sketchQuantile } from './sketch.ts';
