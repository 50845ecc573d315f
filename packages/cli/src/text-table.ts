/**
 * Rows as aligned columns for people: each column as wide as its widest cell, two spaces apart, the
 * last column left as it is (it may be long, and padding it would only add trailing spaces).
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  return [header, ...rows].map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  "),
  );
}

/** One line of at most `width` characters; cut by code point, so an emoji is never split in half. */
export function cut(text: string, width: number): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length <= width ? chars.join("") : `${chars.slice(0, width - 1).join("")}…`;
}
