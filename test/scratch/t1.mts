import * as v from 'valibot';
import { Recorder } from '/work/main/lib/rollup/recorder.ts';
import { buildExport } from '/work/main/lib/export/build.ts';
import { ExportV1 } from '/work/main/schema/export-v1.ts';
import { validateDocument } from '/work/main/lib/export/validate.ts';
import { mkdtempSync } from 'node:fs';
import { readFileSync } from 'node:fs';
const dir = mkdtempSync('/tmp/proj-');
const rec = new Recorder(dir);
const t0 = Date.parse('2026-09-01T00:00:00Z');
for (let i = 0; i < 5000; i++) {
  const day = t0 + (i % 60) * 86400000;
  rec.record('task', { id: 't'+i, source: 'x', agent: i%3 ? 'implementer':'reviewer', action: i%5 ? 'write_code' : 'Globex sync', status: Math.random() < 0.7 ? 'success':'failure', finishedAt: new Date(day).toISOString(), durationMs: Math.random()*10000, qualityScore: Math.random()*100, errorMessage: 'TimeoutError: /home/alice/x.py', workflow: {id: 'rapid-dev-20260926-091432'}, attempt: 1+(i%4===0?1:0) });
}
rec.record('workflow', { id: 'w1', source: 'x', workflow: {id: 'rapid-dev-20260926-091432'}, status: 'completed', durationMs: 5000});
rec.record('consultation', { id: 'c1', source: 'x', expertId: 'expert-security', domain: 'security', confidence: 0.8, threshold: 0.7 });
const st = await rec.flush();
console.log('state', st.eventsSeen, Object.keys(st.rollup.capabilities));
const doc = buildExport(st.rollup, { now: new Date(), projectId: rec.projectId(), producerVersion: '0.1.0', frameworkVersion: '3.6.3', k: 5 });
const r = v.safeParse(ExportV1, doc);
console.log(r.success, r.success ? '' : JSON.stringify(r.issues.slice(0,3).map(i=>[i.path?.map(p=>p.key).join('.'), i.message])));
console.log(validateDocument(doc).ok, JSON.stringify(doc).length);
console.log(JSON.stringify(doc.effectiveness.items[0]), doc.metadata.privacy.suppressedCells);
const up = JSON.parse(readFileSync('/work/shared/fixtures/tapps-small/upstream-export.json','utf8'));
const vu = validateDocument(up); console.log('upstream', vu.ok, vu.problems, vu.document && v.safeParse(ExportV1, vu.document).success);
