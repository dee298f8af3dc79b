import type { Route } from '../state';

/** A mounted view: the shell calls update() when only the filters change. */
export interface View {
  update(route: Route): void;
  dispose(): void;
}
