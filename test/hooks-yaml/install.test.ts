import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { installHooks, uninstallHooks } from '../../lib/hooks-yaml/install.ts';
import { collectorHooks } from '../../lib/hooks-yaml/our-hooks.ts';
import { meaning, readHooksYaml } from '../../lib/hooks-yaml/read.ts';
import { hooksYamlText } from './arbitrary.ts';

const OURS = collectorHooks('node node_modules/@tapps-agents/learning/dist/lib/cli/bin.js');

function install(text: string) {
  const r = installHooks(text, OURS);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  return r;
}

function uninstall(text: string) {
  const r = uninstallHooks(text);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  return r;
}

/** What the framework would run for each event, from a text that must be valid. */
function hooksOf(text: string) {
  const r = readHooksYaml(text);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  return meaning(r.hooks);
}

const FOREIGN = `# Project hooks for acme (see docs/hooks.md)
hooks:
  SessionStart:
    - name: greet   # says hi
      command: echo "hello {TAPPS_SESSION_ID}"

  # session end things
  SessionEnd:
  - name: notify
    command: 'notify-send "done"'
    enabled: false
    fail_on_error: no

  PostToolUse:
    - name: lint
      command: ruff check {TAPPS_FILE_PATH}
      matcher: Write|Edit
      file_patterns: ["*.py", "src/**"]
# trailing comment
`;

describe('installHooks / uninstallHooks', () => {
  it('keeps every foreign hook, comment and blank line, and install + uninstall gives back the same bytes', () => {
    const installed = install(FOREIGN);
    assert.ok(installed.changed);
    assert.deepEqual(
      installed.changes.map((c) => [c.event, c.name, c.change]),
      [
        ['SessionEnd', 'learning-collector', 'added'],
        ['WorkflowComplete', 'learning-collector-build', 'added'],
      ],
    );
    for (const line of FOREIGN.split('\n')) assert.ok(installed.text.includes(line), `lost: ${line}`);
    const before = hooksOf(FOREIGN);
    const after = hooksOf(installed.text);
    assert.deepEqual(after.SessionStart, before.SessionStart);
    assert.deepEqual(after.PostToolUse, before.PostToolUse);
    assert.deepEqual(after.SessionEnd?.[0], before.SessionEnd?.[0]);
    assert.deepEqual(after.SessionEnd?.[1], {
      name: 'learning-collector',
      command: `${OURS[0]?.command}`,
      enabled: true,
      matcher: null,
      file_patterns: null,
      fail_on_error: false,
    });
    assert.equal(after.WorkflowComplete?.[0]?.name, 'learning-collector-build');
    // The compact list of SessionEnd (dash at the key's column) is continued in its own style.
    assert.match(
      installed.text,
      /\n {2}- name: notify\n[\s\S]*\n {2}- name: learning-collector\n {4}command: /,
    );
    assert.equal(uninstall(installed.text).text, FOREIGN);
  });

  it('is idempotent: a second install changes nothing and says so', () => {
    const once = install(FOREIGN);
    const twice = install(once.text);
    assert.equal(twice.changed, false);
    assert.equal(twice.text, once.text);
    assert.deepEqual(
      twice.changes.map((c) => c.change),
      ['unchanged', 'unchanged'],
    );
  });

  it('creates the file content from nothing, and uninstall empties it again', () => {
    const r = install('');
    assert.match(
      r.text,
      /^hooks: {2}# added by tapps-agents learning install-hooks\n {2}SessionEnd:\n {4}- name: learning-collector\n/,
    );
    assert.equal(Object.keys(hooksOf(r.text)).join(), 'SessionEnd,WorkflowComplete');
    assert.equal(uninstall(r.text).text, '');
  });

  it('turns `hooks: {}` (what tapps-agents init writes) into a block mapping and back', () => {
    for (const text of ['hooks: {}\n', '# hooks\nhooks: {}  # none yet\n', 'hooks: {}']) {
      const r = install(text);
      assert.match(r.text, /^(# hooks\n)?hooks:( {2}# none yet)?\r?\n {2}SessionEnd:/);
      assert.equal(uninstall(r.text).text, text);
    }
  });

  it('adds to flow lists and flow mappings in flow style', () => {
    const list = 'hooks:\n  SessionEnd: [{name: a, command: b}]\n  WorkflowComplete: []\n';
    const r = install(list);
    assert.match(
      r.text,
      /SessionEnd: \[\{name: a, command: b\}, \{name: learning-collector, command: "node /,
    );
    assert.match(r.text, /WorkflowComplete: \[\{name: learning-collector-build, /);
    assert.equal(uninstall(r.text).text, list);
    const map = 'hooks: {SessionStart: [{name: a, command: b}]}\n';
    const m = install(map);
    assert.match(
      m.text,
      /^hooks: \{SessionStart: \[\{name: a, command: b\}\], SessionEnd: \[\{name: learning-collector/,
    );
    assert.equal(uninstall(m.text).text, map);
  });

  it('keeps CRLF line breaks and a missing final line break', () => {
    const crlf = 'hooks:\r\n  SessionEnd:\r\n    - name: a\r\n      command: b\r\n';
    const r = install(crlf);
    assert.ok(!/[^\r]\n/.test(r.text), 'a bare LF was written into a CRLF file');
    assert.equal(uninstall(r.text).text, crlf);
    const open = 'hooks:\n  SessionEnd:\n    - name: a\n      command: b';
    const o = install(open);
    assert.ok(!o.text.endsWith('\n'));
    assert.equal(uninstall(o.text).text, open);
  });

  it('updates an entry of ours written by hand or by an older version, in place', () => {
    const manual =
      'hooks:\n  SessionEnd:\n    - name: learning-collector\n      command: "npx --no-install tapps-learning collect --trigger session-end"\n' +
      '      enabled: false\n    - name: other\n      command: echo\n';
    const r = install(manual);
    assert.deepEqual(
      r.changes.map((c) => c.change),
      ['updated', 'added'],
    );
    const se = hooksOf(r.text).SessionEnd ?? [];
    assert.deepEqual(
      se.map((h) => [h.name, h.enabled]),
      [
        ['learning-collector', true],
        ['other', true],
      ],
    );
    assert.equal(se[0]?.command, OURS[0]?.command);
  });

  it('removes duplicate entries of ours, keeping the first', () => {
    const dup = `hooks:\n  SessionEnd:\n${['a', 'b'].map((x) => `    - name: learning-collector\n      command: ${x}\n`).join('')}`;
    const se = hooksOf(install(dup).text).SessionEnd ?? [];
    assert.equal(se.filter((h) => h.name === 'learning-collector').length, 1);
  });

  it('uninstall removes exactly our entries: by event and name, whatever their command', () => {
    const text =
      "hooks:\n  SessionStart:\n    - name: learning-collector\n      command: mine, not the plugin's\n" +
      '  SessionEnd:\n    - name: learning-collector\n      command: old\n    - name: keep\n      command: echo\n';
    const r = uninstall(text);
    assert.deepEqual(
      r.changes.map((c) => [c.event, c.name]),
      [['SessionEnd', 'learning-collector']],
    );
    assert.deepEqual(Object.keys(hooksOf(r.text)), ['SessionStart', 'SessionEnd']);
    assert.equal(uninstall(r.text).changed, false);
  });

  it('refuses a file that is not valid YAML, naming the line, and changes nothing', () => {
    const r = installHooks('hooks:\n  SessionEnd:\n    - name: a\n     command: b\n', OURS);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.reason === 'invalid' && r.problems[0]?.line === 4, JSON.stringify(r));
    assert.match(!r.ok ? (r.problems[0]?.message ?? '') : '', /not valid YAML/);
  });

  it('refuses a file the framework rejects: unknown key, unknown event, YAML 1.1 booleans as names', () => {
    const cases: [string, number, RegExp][] = [
      [
        'hooks:\n  SessionEnd:\n    - name: a\n      command: b\n      timeout: 5\n',
        5,
        /key "timeout" is not allowed/,
      ],
      [
        'hooks:\n  OnSave:\n    - name: a\n      command: b\n',
        2,
        /"OnSave" is not an event the framework knows/,
      ],
      ['hooks:\n  SessionStart:\n    - name: on\n      command: b\n', 3, /name: expected a string/],
      [
        'hooks:\n  SessionStart:\n    - name: a\n      command: b\n      enabled: maybe\n',
        5,
        /enabled: expected a boolean/,
      ],
      ['hooks: {}\nversion: 2\n', 2, /top-level key "version" is not allowed/],
      ['version: 2\n', 1, /top-level key "version": once the file has a "hooks" key/],
      ['- a\n- b\n', 1, /must be a mapping/],
    ];
    for (const [text, line, message] of cases) {
      const r = installHooks(text, OURS);
      assert.ok(!r.ok, text);
      assert.equal(r.reason, 'invalid', text);
      assert.equal(r.problems[0]?.line, line, text);
      assert.match(r.problems[0]?.message ?? '', message);
    }
  });

  it('refuses layouts it does not edit (anchors, aliases) instead of guessing', () => {
    const r = installHooks(
      'hooks:\n  SessionStart: &x\n    - {name: a, command: b}\n  SessionEnd: *x\n',
      OURS,
    );
    assert.ok(!r.ok && r.reason === 'unsupported', JSON.stringify(r));
  });

  it('repairs `hooks:` without a value (the framework rejects it) and says so', () => {
    const r = install('hooks:\n  # SessionEnd:\n  #   - name: x\n');
    assert.equal(r.notes.length, 1);
    assert.deepEqual(Object.keys(hooksOf(r.text)), ['SessionEnd', 'WorkflowComplete']);
    assert.ok(r.text.includes('  # SessionEnd:\n  #   - name: x\n'));
  });

  it('appends after a foreign hook whose command is a block scalar with comment-like lines', () => {
    const text =
      'hooks:\n  SessionEnd:\n    - name: multi\n      command: |\n        echo one\n        # part of the script\n';
    const r = install(text);
    assert.equal(hooksOf(r.text).SessionEnd?.[0]?.command, 'echo one\n# part of the script\n');
    assert.equal(uninstall(r.text).text, text);
  });

  it('property: on generated valid files, install adds exactly ours, install → uninstall is the identity', () => {
    fc.assert(
      fc.property(hooksYamlText, (text) => {
        const before = readHooksYaml(text);
        assert.ok(
          before.ok,
          `generated an invalid file:\n${text}\n${JSON.stringify(!before.ok && before.problems)}`,
        );
        const r = install(text);
        const want = meaning(before.hooks);
        for (const h of OURS) {
          want[h.event] = [
            ...(want[h.event] ?? []),
            {
              name: h.name,
              command: h.command,
              enabled: true,
              matcher: null,
              file_patterns: null,
              fail_on_error: false,
            },
          ];
        }
        assert.deepEqual(hooksOf(r.text), want);
        assert.equal(install(r.text).changed, false);
        assert.equal(uninstall(r.text).text, text);
      }),
      { numRuns: 400, seed: 20261124 },
    );
  });
});
