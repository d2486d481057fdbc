/**
 * Variable references that stay the same for the same path across stops, so
 * VS Code can match nodes between stops and highlight what changed. A
 * reference is never reused for another path and never reset by a stop.
 */
export class VariableReferences {
  private readonly ids = new Map<string, number>();
  private readonly paths: string[] = [''];

  /** The reference of `path`, allocated on first use (references start at 1; 0 means "no children"). */
  idFor(path: string): number {
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(path);
      this.ids.set(path, id);
    }
    return id;
  }

  /** The path behind a reference a client sent, or undefined for one we never handed out. */
  pathOf(id: unknown): string | undefined {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id >= this.paths.length) return undefined;
    return this.paths[id];
  }

  get size(): number {
    return this.paths.length - 1;
  }
}
