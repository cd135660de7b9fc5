/** A plain fixed-width text table: a header row, a rule, then the rows. */
export function formatTable(header: string[], rows: Array<Array<string | number | undefined>>): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === undefined ? '' : String(cell))))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
