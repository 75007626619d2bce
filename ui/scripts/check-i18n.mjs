// Fails when the message catalogues differ in their keys, or when a key the code builds at
// run time (record field labels, validation messages, enumeration-driven keys) is missing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const src = (p) => path.join(root, 'src', p);

async function load(file, name) {
  const out = ts.transpileModule(fs.readFileSync(src(file), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guitu-i18n-')), path.basename(file) + '.mjs');
  fs.writeFileSync(tmp, out);
  const mod = await import(pathToFileURL(tmp).href);
  return mod[name];
}

const zh = await load('i18n/zh-CN.ts', 'zhCN');
const en = await load('i18n/en.ts', 'en');
const problems = [];
const zhKeys = new Set(Object.keys(zh));
const enKeys = new Set(Object.keys(en));
for (const k of zhKeys) if (!enKeys.has(k)) problems.push(`en.ts lacks ${k}`);
for (const k of enKeys) if (!zhKeys.has(k)) problems.push(`zh-CN.ts lacks ${k}`);
for (const [k, v] of Object.entries(en)) {
  if (typeof v !== 'string' || v.trim() === '') problems.push(`en.ts: empty ${k}`);
  const p1 = [...String(zh[k] ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  const p2 = [...String(v).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  if (zhKeys.has(k) && p1 !== p2 && !k.startsWith('date.')) problems.push(`${k}: placeholders differ ({${p1}} vs {${p2}})`);
}

const need = (key, where) => {
  if (!zhKeys.has(key)) problems.push(`missing key ${key} (${where})`);
};

// Record field labels: rec.<kind>.<field> for every field of lib/recordForms.ts.
const forms = fs.readFileSync(src('lib/recordForms.ts'), 'utf8');
const body = forms.slice(forms.indexOf('export const RECORD_KINDS'), forms.indexOf('export const RECORD_KIND_ORDER'));
let kind = null;
let kinds = 0;
for (const line of body.split('\n')) {
  const k = /^  (\w+): \{/.exec(line);
  if (k) {
    kind = k[1];
    kinds += 1;
  }
  for (const m of line.matchAll(/f\('(\w+)'/g)) need(`rec.${kind}.${m[1]}`, 'recordForms.ts');
}
if (kinds !== 14) problems.push(`recordForms.ts describes ${kinds} record kinds, expected 14`);

// Validation messages: form.error.<key>.
for (const file of ['lib/recordForms.ts', 'lib/entityForms.ts']) {
  const text = fs.readFileSync(src(file), 'utf8');
  for (const m of text.matchAll(/key: '(\w+)'/g)) need(`form.error.${m[1]}`, file);
}
for (const p of ['length', 'characters', 'birth_date', 'check']) need(`form.error.resident_id_${p}`, 'entityForms.ts');

// Keys built from values.
for (const s of ['not_applicable', 'verified_in_time', 'pending', 'triggered', 'closed']) need(`id3m.state.${s}`, 'Id3mPanel');
for (const g of ['temporary_guardianship', 'child_welfare', 'done']) need(`guidance.${g}`, 'CaseView');
for (let i = 1; i <= 12; i++) need(`date.mon.${i}`, 'fmtDate');
for (let i = 0; i <= 3; i++) need(`setup.strength.${i}`, 'FirstRun');

// Every literal t('…') key used by the components.
const walk = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
for (const file of walk(path.join(root, 'src')).filter((f) => /\.(svelte|ts)$/.test(f) && !f.includes('bindings'))) {
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(/\bt\('([a-z0-9_.-]+)'/g)) need(m[1], path.relative(root, file));
}

if (problems.length > 0) {
  console.error(`i18n check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`i18n: ${zhKeys.size} keys in zh-CN and en, all used keys present`);
