// Draws SHAP contributions as a horizontal bar chart. Shaping (order, signed labels) is done by
// shapBars in explanation-data.ts; the sign is in every axis label, so direction never rests on colour.
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { ShapBar } from './explanation-data.js';

const POSITIVE = '#1d4ed8';
const NEGATIVE = '#b91c1c';
const ROW_HEIGHT = 32;

export function ShapChart({ bars, label }: { bars: readonly ShapBar[]; label: string }) {
  return (
    <div role="img" aria-label={label} data-testid="shap-chart">
      <BarChart
        width={640}
        height={Math.max(120, bars.length * ROW_HEIGHT + 48)}
        data={[...bars]}
        layout="vertical"
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tick={{ fill: '#1a1a1a' }} />
        <YAxis type="category" dataKey="axisLabel" width={260} tick={{ fill: '#1a1a1a' }} />
        <ReferenceLine x={0} stroke="#1a1a1a" />
        <Bar dataKey="contribution" isAnimationActive={false}>
          {bars.map((bar) => (
            <Cell key={bar.feature} fill={bar.direction === 'negative' ? NEGATIVE : POSITIVE} />
          ))}
        </Bar>
      </BarChart>
    </div>
  );
}
