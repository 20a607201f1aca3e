// What `knr diff` reports: plain data, printed as text, JSON, Markdown or SVG by the renderers.
import type { EventValue, OpsHop } from '../models';
import type { StatementResult } from '../scenario/result';

/**
 * `changed`: the definitions' texts differ with whitespace folded (function-body.ts); `not-found`: on
 * both paths, but a tree's index has no definition of it to compare (`missing` says which).
 */
export type FunctionStatus = 'unchanged' | 'changed' | 'only-old' | 'only-new' | 'not-found';

/** Where a function is defined in one tree, and its definition's text. */
export interface FunctionSource {
  name: string;
  /** Relative to the kernel root. */
  file: string;
  /** 1-based line of the definition's first line. */
  line: number;
  signature: string;
  text: string;
}

export interface FunctionComparison {
  name: string;
  status: FunctionStatus;
  /** The definition in each tree; absent on a side whose path (or index) does not have the function. */
  old?: FunctionSource;
  new?: FunctionSource;
  /** For `not-found`: the side(s) whose index does not define the function. */
  missing?: 'old' | 'new' | 'both';
  /** Unified diff of the definitions, for `changed`. */
  diff?: string[];
}

/** One function entered on the aligned path, with the side(s) it was entered on. */
export interface PathStep {
  function: string;
  depth: number;
  /** The scenario statement (result step) of the side that has it (the new one when both). */
  statement: number;
  side: 'both' | 'old' | 'new';
}

/** An ops hop at an aligned event whose table, field or target differs, or that one side lacks. */
export interface HopChange {
  function: string;
  anchor: string;
  statement: number;
  old?: OpsHop;
  new?: OpsHop;
}

/** An event at which the two runs saw different values or took a different branch. */
export interface EventDifference {
  function: string;
  anchor: string;
  statement: number;
  /** Absent on the side where the aligned function did not reach this anchor. */
  old?: { values: Record<string, EventValue>; branch?: string };
  new?: { values: Record<string, EventValue>; branch?: string };
  /** The value names whose values differ (for events on both sides). */
  keys: string[];
}

/** A statement's result that differs between the runs, with the fields that differ. */
export interface ResultDifference {
  call: string;
  /** 1-based position in the scenario. */
  line: number;
  old?: StatementResult;
  new?: StatementResult;
  fields: string[];
}

export interface PathDiff {
  kind: 'scenario' | 'function';
  /** The scenario's or the function's name. */
  subject: string;
  /** Each tree's kernel version, as its Makefile says. */
  old: { kernel: string };
  new: { kernel: string };
  path: PathStep[];
  /** Each function of the aligned path once, in order of first appearance. */
  functions: FunctionComparison[];
  hops: HopChange[];
  events: EventDifference[];
  results: ResultDifference[];
}
