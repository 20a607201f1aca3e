// The real index, as the server starts it for each kernel tree. The summary's counts of functions and
// calls through a field are not wanted here, and would read every row of two tables.
import { startIndex } from '../index/open';
import type { IndexStarter } from './session';

export const startKernelIndex: IndexStarter = (root, options) =>
  startIndex(root, { ...options, countFacts: false });
