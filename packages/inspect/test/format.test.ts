import { describe, expect, it } from 'vitest';
import { isInspectLine, RECORDING_FORMAT, RECORDING_VERSION } from '../src/index.ts';

describe('the recording format', () => {
  it('is named and versioned', () => {
    expect(RECORDING_FORMAT).toBe('statevisor-recording');
    expect(RECORDING_VERSION).toBe(1);
  });

  it('tells inspection lines from event lines', () => {
    expect(isInspectLine({ kind: 'TaskAdded', seq: 1, at: 0, task: 'app/a' })).toBe(false);
  });
});
