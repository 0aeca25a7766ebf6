/**
 * The routes the server has, by path pattern and method, with who may call
 * each: a request for a path that exists with another method gets 405 and
 * an Allow header instead of 404, and the list is what the access tests walk.
 */
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { RouteAccess } from './auth.js';

export interface RouteEntry {
  method: HTTPMethod;
  url: string;
  access: RouteAccess;
}

export class RouteTable {
  private readonly router = FindMyWay({ maxParamLength: 1_000 });
  private readonly entries: RouteEntry[] = [];

  add(url: string, method: string | string[], access: RouteAccess): void {
    for (const one of [method].flat() as HTTPMethod[]) {
      if (this.router.hasRoute(one, url)) continue;
      this.router.on(one, url, () => undefined);
      this.entries.push({ method: one, url, access });
    }
  }

  /** The methods some route answers on this concrete path. */
  methodsOf(path: string): HTTPMethod[] {
    return [...new Set(this.entries.map((entry) => entry.method))].filter((method) => this.router.find(method, path) !== null);
  }

  /** Every route but the HEAD twins of GET routes. */
  list(): readonly RouteEntry[] {
    return this.entries.filter((entry) => entry.method !== 'HEAD');
  }
}
