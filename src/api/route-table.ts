/**
 * The routes the server has, by path pattern and method, so a request for
 * a path that exists with another method gets 405 and an Allow header
 * instead of 404.
 */
import FindMyWay, { type HTTPMethod } from 'find-my-way';

export class RouteTable {
  private readonly router = FindMyWay({ maxParamLength: 1_000 });
  private readonly methods = new Set<HTTPMethod>();

  add(url: string, method: string | string[]): void {
    for (const one of [method].flat() as HTTPMethod[]) {
      if (this.router.hasRoute(one, url)) continue;
      this.router.on(one, url, () => undefined);
      this.methods.add(one);
    }
  }

  /** The methods some route answers on this concrete path. */
  methodsOf(path: string): HTTPMethod[] {
    return [...this.methods].filter((method) => this.router.find(method, path) !== null);
  }
}
