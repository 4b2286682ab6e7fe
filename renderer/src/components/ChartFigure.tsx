// A chart as a figure: the drawing is hidden from assistive technology and the figure is described by
// its caption, a sentence saying what the chart shows (each chart also offers its numbers as a table).
import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

export function ChartFigure({
  testId,
  summaryId,
  summary,
  height,
  children,
}: {
  testId: string;
  /** The caption's id; the figure is described by it. */
  summaryId: string;
  summary: string;
  height: number;
  /** One recharts chart, sized to the figure's width and `height`. */
  children: ReactElement;
}) {
  return (
    <figure data-testid={testId} aria-describedby={summaryId} style={{ margin: 0 }}>
      <div style={{ width: '100%', height }} aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
      <figcaption id={summaryId}>{summary}</figcaption>
    </figure>
  );
}
