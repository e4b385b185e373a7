/** Where the command writes; a seam so the command does not reach for `process` everywhere. */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** ANSI colours on stdout. */
  color: boolean;
  /** Progress lines go to stderr only when a person is watching it. */
  stderrIsTTY: boolean;
}
