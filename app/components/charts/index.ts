export { OutcomeBars, BreakdownBars, type OutcomeBarsProps, type OutcomeCounts, type BreakdownBarsProps, type BreakdownItem } from "./bar-chart";
export { RateTrend, type RateTrendProps, type RatePoint } from "./line-chart";
export { ReliabilityChart, type ReliabilityChartProps, type ReliabilityChartBucket } from "./reliability-chart";
