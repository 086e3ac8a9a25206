import { describe, expect, it } from 'vitest';
import { readQueryResponse } from './prometheus-query.ts';

// Written by Prometheus 2.42 (`/api/v1/query`).
const VECTOR =
  '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"127.0.0.1:19090","job":"prometheus"},"value":[1795721107.041,"1"]}]}}';
const EMPTY = '{"status":"success","data":{"resultType":"vector","result":[]}}';
const BAD_PROMQL = '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:7: parse error: unclosed left parenthesis"}';
const SCALAR = '{"status":"success","data":{"resultType":"scalar","result":[1795721107.078,"+Inf"]}}';
const MATRIX =
  '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","instance":"127.0.0.1:19090","job":"prometheus"},"values":[[1795721047.509,"1"],[1795721048.509,"1"]]}]}}';

describe('readQueryResponse', () => {
  it('reads a vector as its series', () => {
    expect(readQueryResponse(200, VECTOR)).toEqual({
      kind: 'prometheus',
      series: [{ labels: { __name__: 'up', instance: '127.0.0.1:19090', job: 'prometheus' }, value: '1' }],
    });
  });

  it('reads an empty vector as no series', () => {
    expect(readQueryResponse(200, EMPTY)).toEqual({ kind: 'prometheus', series: [] });
  });

  it('reads a scalar as one series without labels', () => {
    expect(readQueryResponse(200, SCALAR)).toEqual({ kind: 'prometheus', series: [{ labels: {}, value: '+Inf' }] });
  });

  it("passes on Prometheus's own error", () => {
    expect(readQueryResponse(400, BAD_PROMQL)).toEqual({
      kind: 'prometheus',
      error: 'Prometheus rejected the query: bad_data: invalid parameter "query": 1:7: parse error: unclosed left parenthesis',
    });
  });

  it('refuses a range vector', () => {
    expect(readQueryResponse(200, MATRIX).error).toBe('the query returned a matrix; use one that returns a number or an instant vector');
  });

  it('says when the answer is not JSON', () => {
    expect(readQueryResponse(502, '<html>Bad Gateway</html>').error).toBe(
      'Prometheus answered HTTP 502 with something other than JSON: <html>Bad Gateway</html>',
    );
  });
});
