// Prints "N passed, N failed" from vitest's JSON report (CI reads this line).
import { readFileSync } from 'node:fs';

const [file, exitCode] = process.argv.slice(2);
let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
} catch {
  // No report: the run failed before vitest (install, services or type-check).
}
if (failed === 0 && exitCode !== '0') failed = 1;
console.log(`${passed} passed, ${failed} failed`);
