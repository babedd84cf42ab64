import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ALLOW_LIST, NEVER_COLLECTED } from '../../lib/privacy/allow-list.ts';
import {
  COLLECTED_END,
  COLLECTED_START,
  collectedSection,
  renderCollectedMarkdown,
  replaceCollectedSection,
} from '../../lib/privacy/allow-list-doc.ts';

const README = new URL('../../README.md', import.meta.url);

describe('README "what is collected" is generated from the allow-list', () => {
  it('the README section equals what the code renders (run `npm run schema:emit` after changing the table)', () => {
    const readme = readFileSync(README, 'utf8');
    const section = collectedSection(readme);
    assert.notEqual(section, null, `README.md lacks the ${COLLECTED_START} … ${COLLECTED_END} markers`);
    assert.equal(
      section,
      renderCollectedMarkdown().trim(),
      'README.md drifted from lib/privacy/allow-list.ts: run npm run schema:emit',
    );
  });

  it('renders one row per classified field and every never-collected item', () => {
    const md = renderCollectedMarkdown();
    for (const r of ALLOW_LIST) assert.ok(md.includes(`| \`${r.field}\` | ${r.treatment} |`), r.field);
    for (const item of NEVER_COLLECTED) assert.ok(md.includes(`- ${item}`), item);
  });

  it('replaces only the text between the markers, idempotently, and refuses a document without them', () => {
    const doc = `# T\n\nbefore\n${COLLECTED_START}\nold\n${COLLECTED_END}\nafter\n`;
    const once = replaceCollectedSection(doc, 'new table\n');
    assert.equal(once, `# T\n\nbefore\n${COLLECTED_START}\nnew table\n${COLLECTED_END}\nafter\n`);
    assert.equal(replaceCollectedSection(once, 'new table\n'), once);
    assert.throws(() => replaceCollectedSection('# no markers', 'x'), /collected:start/);
    assert.throws(() => replaceCollectedSection(`${COLLECTED_END}${COLLECTED_START}`, 'x'), /in this order/);
  });
});
