// The real index, as the server starts it for each kernel tree.
import { startIndex } from '../index/open';
import type { IndexStarter } from './session';

export const startKernelIndex: IndexStarter = (root, options) => startIndex(root, options);
