#!/usr/bin/env node
// Names the tests that passed only on a retry, from a vitest JSON report:
// the browser suite retries a failed test once (vitest.browser.config.ts), and
// a retry must never hide a flaky test. scripts/test.sh prints this next to
// its summary. Prints nothing when no test needed a retry or no report exists.
//   node scripts/report-retries.mjs REPORT.json
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const report = process.argv[2];
if (!report || !existsSync(report)) process.exit(0);
const { testResults = [] } = JSON.parse(readFileSync(report, 'utf8'));
const lines = [];
for (const file of testResults) {
  for (const t of file.assertionResults ?? []) {
    if (t.status !== 'passed' || !t.failureMessages?.length) continue;
    const first = String(t.failureMessages[0]).split('\n')[0].slice(0, 300);
    lines.push(`${path.relative(process.cwd(), file.name)} > ${t.fullName}: passed on retry after: ${first}`);
  }
}
if (lines.length) console.log(`passed only on a retry (flaky; see ${report}):\n${lines.map((l) => `  ${l}`).join('\n')}`);
