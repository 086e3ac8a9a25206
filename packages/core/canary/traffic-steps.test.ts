import { describe, expect, it } from 'vitest';
import { parseSteps, stepsFrom } from './traffic-steps.ts';

describe('canary traffic steps', () => {
  it('reads exact increasing percentages', () => {
    expect(parseSteps('steps', '10,30,50,100', { autoPromote: true })).toEqual([10, 30, 50, 100]);
    expect(parseSteps('steps', '5%, 25%\n100%', { autoPromote: true })).toEqual([5, 25, 100]);
    expect(parseSteps('steps', '10,30', { autoPromote: false })).toEqual([10, 30]);
  });

  it.each([
    ['10,5,100', '5 does not go above 10'],
    ['10,10,100', '10 does not go above 10'],
    ['10,50,150', '"150" is not a whole percentage from 1 to 100'],
    ['0,100', '"0" is not a whole percentage from 1 to 100'],
    ['12.5,100', '"12.5" is not a whole percentage from 1 to 100'],
    ['10,30', 'the last step must be 100 for the canary to be promoted'],
    ['', 'use whole percentages from 1 to 100'],
  ])('rejects %j naming the input, the value and the rule', (raw, why) => {
    expect(() => parseSteps('steps', raw, { autoPromote: true })).toThrow(`steps: ${JSON.stringify(raw)} is not valid; ${why}`);
  });

  it('steps from an initial share and an increment end at 100', () => {
    expect(stepsFrom(10, 20)).toEqual([10, 30, 50, 70, 90, 100]);
    expect(stepsFrom(25, 25)).toEqual([25, 50, 75, 100]);
    expect(stepsFrom(100, 20)).toEqual([100]);
  });
});
