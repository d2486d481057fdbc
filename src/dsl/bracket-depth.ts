/**
 * Brackets opened since a point, per kind, as a statement boundary needs them: a line end
 * is safe only where every one is closed, and a closer without its opener counts as nothing
 * (the parser recovers there). Shared by the incremental slicer and the lexer's window cuts.
 */
export class BracketDepth {
  private brace = 0;
  private bracket = 0;
  private paren = 0;

  /** One character of code (outside strings and comments), as a UTF-16 code unit. */
  see(c: number): void {
    if (c === 123) this.brace++;
    else if (c === 125) { if (this.brace > 0) this.brace--; }
    else if (c === 91) this.bracket++;
    else if (c === 93) { if (this.bracket > 0) this.bracket--; }
    else if (c === 40) this.paren++;
    else if (c === 41) { if (this.paren > 0) this.paren--; }
  }

  get closed(): boolean {
    return this.brace === 0 && this.bracket === 0 && this.paren === 0;
  }
}
