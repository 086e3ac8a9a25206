import { describe, expect, it } from 'vitest';
import { parseLoad, readBaselinePort } from './canary-extras-inputs.ts';

describe('parseLoad', () => {
  it('reads a rate a second and the URL of the router front', () => {
    expect(parseLoad('load', '20/s http://127.0.0.1:8080/healthz')).toEqual({ rate: 20, url: 'http://127.0.0.1:8080/healthz' });
    expect(parseLoad('load', ' 1 / s https://shop.example/?probe=1 ')).toEqual({ rate: 1, url: 'https://shop.example/?probe=1' });
  });

  it('refuses rates out of 1..1000, bare paths, other schemes and fragments, naming the input and what is allowed', () => {
    expect(() => parseLoad('load', '0/s http://127.0.0.1:8080/')).toThrow(
      /^load: "0\/s http:\/\/127.0.0.1:8080\/" is not valid; the rate is 0\/s; use <rate>\/s <URL of the router's front>, a whole rate from 1 to 1000/,
    );
    expect(() => parseLoad('load', '1001/s http://127.0.0.1:8080/')).toThrow(/the rate is 1001\/s/);
    expect(() => parseLoad('load', '2.5/s http://127.0.0.1:8080/')).toThrow(/^load: "2.5\/s .*" is not valid; use <rate>\/s/);
    expect(() => parseLoad('load', '20/s /healthz')).toThrow(/give the router's front as a full URL, not only a path/);
    expect(() => parseLoad('load', '20/s ftp://127.0.0.1/x')).toThrow(/must be http:\/\/ or https:\/\//);
    expect(() => parseLoad('load', '20/s http://127.0.0.1:8080/#x')).toThrow(/fragment/);
    expect(() => parseLoad('load', '20 http://127.0.0.1:8080/')).toThrow(/use <rate>\/s/);
  });

  it('never shows a password of the URL in an error', () => {
    const error = (() => {
      try {
        parseLoad('load', '5000/s http://ops:hunter2@127.0.0.1:8080/');
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(error).toContain('http://ops:***@127.0.0.1:8080/');
    expect(error).not.toContain('hunter2');
  });
});

describe('readBaselinePort', () => {
  const ports = { blue: 8081, green: 8082 };
  it('defaults to the port after the higher colour port, and takes one given', () => {
    expect(readBaselinePort(undefined, ports, [10, 50, 100])).toBe(8083);
    expect(readBaselinePort(undefined, { blue: 65535, green: 9000 }, [10, 100])).toBe(8999);
    expect(readBaselinePort('9100', ports, [10, 100])).toBe(9100);
  });

  it('refuses a colour port, a bad port, and steps that never leave the baseline a share', () => {
    expect(() => readBaselinePort('8082', ports, [10, 100])).toThrow(
      /^baseline-port: "8082" is not valid; it is the port of green \(ports 8081,8082\); give the baseline a port of its own$/,
    );
    expect(() => readBaselinePort('70000', ports, [10, 100])).toThrow(/^baseline-port: "70000" is not valid; use a port from 1 to 65535$/);
    expect(() => readBaselinePort('http', ports, [10, 100])).toThrow(/^baseline-port: "http" is not valid/);
    expect(() => readBaselinePort(undefined, ports, [60, 100])).toThrow(
      /^baseline: "true" is not valid; a baseline takes the canary's share only at steps up to 50%, and steps 60,100 have none/,
    );
  });
});
