// Where the Model step's layer list scrolls: how many terminal lines its rows get, and which rows
// are on screen. Shared by the reducer (it remembers the first row) and the screen (it draws them),
// so a resize between two keys still draws the selected row.

/**
 * Lines for the layer rows (scroll indicators included) in a terminal this tall: the rest holds
 * the step bar, the preset, the column header, the totals or the problem, the editor, the status
 * and the hints (11 lines at most). The cnn preset's 13 layers fit at 24 rows.
 */
export function layerRowsFor(terminalRows: number): number {
  return Math.max(5, terminalRows - 11);
}

export interface ListWindow {
  /** First and one-past-last row shown. */
  readonly start: number;
  readonly end: number;
  /** Rows left out above and below (each shown on its own line: "↑ 3 more" / "↓ 2 more"). */
  readonly above: number;
  readonly below: number;
}

/** Rows shown from `start` when the list does not fit: `height` lines less the indicator lines. */
function span(start: number, count: number, height: number): number {
  if (start <= 0) return height - 1;
  if (start + height - 1 >= count) return count - start;
  return height - 2;
}

/**
 * The rows on screen, in exactly `height` lines once the list is longer: the last window
 * (`scroll`, its first row) while the selection stays in it, else the nearest that shows the
 * selection; a line says how many rows are left out above, another below.
 */
export function listWindow(count: number, selected: number, scroll: number, height: number): ListWindow {
  if (count <= height) return { start: 0, end: count, above: 0, below: 0 };
  const h = Math.max(3, height);
  const last = count - (h - 1);
  let start = Math.max(0, Math.min(scroll, last));
  if (selected < start) start = selected;
  else if (selected >= start + span(start, count, h)) {
    // The selection as the last row between the two indicators, or the window at the end.
    const middle = selected - (h - 2) + 1;
    start = middle >= last ? last : Math.max(0, middle);
  }
  start = Math.max(0, Math.min(start, last));
  const end = start + span(start, count, h);
  return { start, end, above: start, below: count - end };
}
