import type { CommandContext } from '../cli-context.js';

/** The live trial table's ANSI redraw: moves the cursor up over the block it drew last. */
/** Redraws a block of lines in place on a TTY; elsewhere prints nothing until asked. */
export class LiveBlock {
  private drawn = 0;
  constructor(private readonly out: CommandContext['stdout']) {}
  draw(lines: readonly string[]): void {
    const width = this.out.columns ?? 200;
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const l of lines) text += `\x1b[2K${l.length > width - 1 ? l.slice(0, width - 1) : l}\n`;
    for (let i = lines.length; i < this.drawn; i++) text += '\x1b[2K\n';
    const extra = Math.max(0, this.drawn - lines.length);
    if (extra > 0) text += `\x1b[${extra}A`;
    this.out.write(text);
    this.drawn = lines.length;
  }
}
