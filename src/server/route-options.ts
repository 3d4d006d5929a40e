import type { AppConfig } from '../config/app-config.js';
import type { ServerDeps } from './server-deps.js';

/** What every route plugin receives. */
export interface RouteOptions {
  readonly deps: ServerDeps;
  readonly config: AppConfig;
}
