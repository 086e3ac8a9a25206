export { parseDuration, parseSeconds, formatDuration } from './durations.ts';
export { parsePercentage } from './percentages.ts';
export { parseBoolean, parseInteger, parseEnum, parseList } from './scalars.ts';
export { parseStatusRanges, statusAllowed, formatStatusRanges, type StatusRange } from './status-ranges.ts';
