import { redisAnswers } from '../../packages/adapters/bus/testing/redis-server.ts';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { DOCKER_HOST, PROMETHEUS_URL, REDIS_URL } from './services.ts';

/**
 * Integration tests need real services. Rather than skip silently when one is down, fail at once
 * and say how to start them.
 */
export default async function checkServices(): Promise<void> {
  process.env.DOCKER_HOST = DOCKER_HOST;
  const missing: string[] = [];
  const docker = await runCommand('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000 });
  if (docker.exitCode !== 0) missing.push(`Docker engine at ${DOCKER_HOST}`);
  const prometheus = await fetch(`${PROMETHEUS_URL}/-/ready`).catch(() => undefined);
  if (!prometheus?.ok) missing.push(`Prometheus at ${PROMETHEUS_URL}`);
  if (!(await redisAnswers(REDIS_URL))) missing.push(`Redis at ${REDIS_URL}`);
  if (missing.length > 0) {
    throw new Error(`services not running: ${missing.join(', ')}. Start them with: bash scripts/services.sh start`);
  }
}
