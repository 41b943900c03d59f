import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitKeys } from '../../src/ui/key-chunks.js';
import type { KeyPress } from '../../src/ui/keys.js';

describe('splitKeys: a chunk of keys that arrived together → one press each', () => {
  const cases: [string, string, KeyPress, { input: string; key: KeyPress }[]][] = [
    ['one key stays as it is', 'j', {}, [{ input: 'j', key: {} }]],
    [
      'jjj → three j',
      'jjj',
      {},
      [
        { input: 'j', key: {} },
        { input: 'j', key: {} },
        { input: 'j', key: {} },
      ],
    ],
    [
      'a pasted value with its enter',
      '0.1\r',
      {},
      [
        { input: '0', key: {} },
        { input: '.', key: {} },
        { input: '1', key: {} },
        { input: '', key: { return: true } },
      ],
    ],
    [
      'quick backspaces',
      '\x7f\x7f',
      {},
      [
        { input: '', key: { delete: true } },
        { input: '', key: { delete: true } },
      ],
    ],
    [
      'ctrl+u then text',
      '\x15ab',
      {},
      [
        { input: 'u', key: { ctrl: true } },
        { input: 'a', key: {} },
        { input: 'b', key: {} },
      ],
    ],
    ['a key Ink named (ctrl+c) stays', 'c', { ctrl: true }, [{ input: 'c', key: { ctrl: true } }]],
    ['an arrow stays', '', { upArrow: true }, [{ input: '', key: { upArrow: true } }]],
    ['a wide character is one key', '😀', {}, [{ input: '😀', key: {} }]],
  ];
  for (const [name, input, key, want] of cases) it(name, () => assert.deepEqual(splitKeys(input, key), want));
});
