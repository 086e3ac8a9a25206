import { connect } from 'node:net';
import { ActionFailure, ConfigurationError } from '../../core/errors.ts';
import type { HaproxyEndpoint } from './haproxy-endpoint.ts';

/** Far above `show servers state` of thousands of servers: more is something else streaming at us. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * Sends one command to HAProxy's runtime API and returns its whole answer. One connection per
 * command (HAProxy's non-interactive mode answers and closes), so answers never run together.
 */
export function sendCommand(endpoint: HaproxyEndpoint, command: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const { socket: address } = endpoint;
    const socket = address.kind === 'unix' ? connect(address.path) : connect(address.port, address.host);
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (why: string) => {
      socket.destroy();
      reject(new ActionFailure(`could not reach HAProxy's admin socket at ${endpoint.text} ("${command}"): ${why}`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.on('error', (error) => fail(error.message));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ANSWER_BYTES) return void chunks.push(chunk);
      socket.destroy();
      reject(
        new ConfigurationError(
          `router-endpoint: what listens at ${endpoint.text} answered "${command}" with more than 16 MB; give HAProxy's admin socket (stats socket … level admin)`,
        ),
      );
    });
    socket.on('end', () => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.end(`${command}\n`);
  });
}
