// The console's data table: an optional caption, one header row of column headings (scope="col"), one
// body row per item and, where a table closes on a summary, extra rows after them. Each page still
// writes its own cells, so a row's header cell (scope="row") and its formatting stay where the data is.
import type { HTMLAttributes, ReactNode } from 'react';

/** Attributes a row may carry besides its cells: test ids, a status for styling, a style. */
export type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };

export function DataTable<Row>({
  testId,
  caption,
  quietCaption = false,
  columns,
  rows,
  rowKey,
  rowAttributes,
  cells,
  after,
}: {
  testId?: string;
  caption?: ReactNode;
  /** A muted, left-aligned caption, for tables whose heading already names them. */
  quietCaption?: boolean;
  /** The column headings, in order. */
  columns: ReactNode[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  rowAttributes?: (row: Row) => RowAttributes;
  /** The row's cells, in column order. */
  cells: (row: Row) => ReactNode;
  /** Rows after the item rows (a total, for instance). */
  after?: ReactNode;
}) {
  return (
    <table data-testid={testId}>
      {caption === undefined ? null : (
        <caption
          className={quietCaption ? 'muted' : undefined}
          style={quietCaption ? { textAlign: 'left' } : undefined}
        >
          {caption}
        </caption>
      )}
      <thead>
        <tr>
          {columns.map((heading, index) => (
            <th scope="col" key={index}>
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowAttributes?.(row)}>
            {cells(row)}
          </tr>
        ))}
        {after}
      </tbody>
    </table>
  );
}
