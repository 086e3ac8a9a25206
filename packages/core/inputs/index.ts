export { parseDuration, parseSeconds, formatDuration, MAX_DURATION_MS, MAX_TIMER_MS, type DurationBounds } from './durations.ts';
export { parseUrlPath } from './url-path.ts';
export { parsePercentage } from './percentages.ts';
export { parseBoolean, parseInteger, parseEnum, parseList } from './scalars.ts';
export { parseStatusRanges, statusAllowed, formatStatusRanges, type StatusRange } from './status-ranges.ts';
