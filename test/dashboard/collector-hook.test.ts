import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collectorEvents, readHooksStatus } from '../../lib/dashboard/collector-hook.ts';
import { tempDir } from '../temp-dir.ts';

const INSTALLED = `hooks:
  SessionEnd:            # after every tapps-agents CLI command
    - name: learning-collector
      command: "npx --no-install tapps-learning collect --trigger session-end"
      enabled: true
      fail_on_error: false
  WorkflowComplete:
    - name: other
      command: "echo done"
    - name: learning-collector-build
      command: "tapps-agents learning collect --trigger workflow-complete"
  PostToolUse: []
`;

describe('the collector hook in hooks.yaml', () => {
  it('finds the events that run `learning collect`', () => {
    assert.deepEqual(collectorEvents(INSTALLED), ['SessionEnd', 'WorkflowComplete']);
  });

  it('ignores disabled hooks, other commands, comments and flow-style entries without the collector', () => {
    const text = `hooks:
  SessionEnd:
    - name: learning-collector
      command: tapps-agents learning collect
      enabled: false
    # - command: tapps-agents learning collect
  SessionStart:
    - {name: x, command: "tapps-agents learning collect", enabled: true}
  WorkflowComplete:
    - {name: y, command: "echo learning"}
`;
    assert.deepEqual(collectorEvents(text), ['SessionStart']);
    assert.deepEqual(collectorEvents('hooks: {}\n'), []);
    assert.deepEqual(collectorEvents(''), []);
  });

  it('reads the project file: missing, present with or without the hook', () => {
    const root = tempDir('hooks-');
    assert.deepEqual(readHooksStatus(root), { file: 'missing', collector: false, events: [] });
    mkdirSync(join(root, '.tapps-agents'));
    writeFileSync(join(root, '.tapps-agents', 'hooks.yaml'), 'hooks: {}\n');
    assert.deepEqual(readHooksStatus(root), { file: 'present', collector: false, events: [] });
    writeFileSync(join(root, '.tapps-agents', 'hooks.yaml'), INSTALLED);
    assert.deepEqual(readHooksStatus(root), {
      file: 'present',
      collector: true,
      events: ['SessionEnd', 'WorkflowComplete'],
    });
  });

  it('calls a hooks.yaml that is a folder unreadable, not an error', () => {
    const root = tempDir('hooks-');
    mkdirSync(join(root, '.tapps-agents', 'hooks.yaml'), { recursive: true });
    assert.equal(readHooksStatus(root).file, 'unreadable');
  });
});
