import { parsePercentage } from '../inputs/index.ts';
import type { AlertThresholds } from './alerts.ts';

/** The `max-cpu`, `max-memory`, `max-disk` inputs as given ('' when not). */
export interface ThresholdInputs {
  maxCpu: string;
  maxMemory: string;
  maxDisk: string;
}

/** Each input given overrides its metric of the configuration's alert_thresholds; a bad one names its input. */
export function readAlertThresholds(inputs: ThresholdInputs, configured: AlertThresholds): AlertThresholds {
  const pick = (name: string, raw: string, fallback: number): number => (raw === '' ? fallback : parsePercentage(name, raw));
  return {
    cpu: pick('max-cpu', inputs.maxCpu, configured.cpu),
    memory: pick('max-memory', inputs.maxMemory, configured.memory),
    disk: pick('max-disk', inputs.maxDisk, configured.disk),
  };
}
