/**
 * Inline diff of a model's proposed rewrite: hunks between a range and the proposal
 * (`computeHunks`), and a session that tracks them through the user's edits and hands out the
 * edits that accept them (`DiffSession`).
 */

export { computeHunks, computeLineHunks } from './hunks';
export type { DiffHunk, HunkOptions } from './hunks';
export { DiffSession } from './session';
export type { DiffSessionOptions, Hunk, HunkState } from './session';
export { blockLines, documentLines } from './text';
export type { Eol, TextChange } from './text';
