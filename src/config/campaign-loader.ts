/**
 * Reads config/campaigns/*.yaml, validates each file with the campaign schema
 * and reports every problem as `file:line path: message`.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { NuqtaError } from '../errors.js';
import { campaignSchema, type Campaign } from './campaign-schema.js';

export interface LoadedCampaign {
  campaign: Campaign;
  /** Where it was read: a file, or a stored revision (`campaign <id> revision <n>`). */
  file: string;
  /** Changes whenever the content changes; recorded on every ledger entry. */
  revision: string;
  /** Its number in the campaign's stored revisions (absent for a file not stored yet). */
  n?: number;
  /** The YAML it was read from. */
  source: string;
}

export interface CampaignProblem {
  file: string;
  line: number;
  path: string;
  message: string;
}

export function formatProblem(problem: CampaignProblem): string {
  return `${problem.file}:${problem.line} ${problem.path || '(file)'}: ${problem.message}`;
}

export class CampaignFileError extends NuqtaError {
  readonly problems: CampaignProblem[];
  constructor(problems: CampaignProblem[]) {
    super('NUQTA_BAD_CAMPAIGN', `invalid campaign file(s):\n${problems.map(formatProblem).join('\n')}`, problems);
    this.problems = problems;
  }
}

export async function loadCampaignDirectory(directory: string): Promise<LoadedCampaign[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    throw new CampaignFileError([{ file: directory, line: 0, path: '', message: 'campaign directory not found' }]);
  }
  const results = await Promise.all(names.map(async (name) => {
    const file = path.join(directory, name);
    return parseCampaignFile(file, await readFile(file, 'utf8'));
  }));
  const problems = results.flatMap((result) => result.problems);
  const campaigns = results.flatMap((result) => (result.campaign ? [result.campaign] : []));
  const seen = new Map<string, string>();
  for (const loaded of campaigns) {
    const other = seen.get(loaded.campaign.id);
    if (other) problems.push({ file: loaded.file, line: 1, path: 'id', message: `repeats the id "${loaded.campaign.id}" of ${other}` });
    seen.set(loaded.campaign.id, loaded.file);
  }
  if (problems.length > 0) throw new CampaignFileError(problems);
  return campaigns;
}

export function parseCampaignFile(file: string, text: string): { campaign?: LoadedCampaign; problems: CampaignProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      problems: document.errors.map((error) => ({
        file,
        line: error.linePos?.[0].line ?? 1,
        path: '',
        message: `YAML: ${error.message.split('\n')[0] ?? error.code}`,
      })),
    };
  }
  const parsed = campaignSchema.safeParse(document.toJS());
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => ({
        file,
        line: lineOf(document, lineCounter, issue.path),
        path: issue.path.join('.'),
        message: issue.message,
      })),
    };
  }
  const revision = `v${parsed.data.version}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
  return { campaign: { campaign: parsed.data, file, revision, source: text }, problems: [] };
}

/** The line of the deepest node on the path that exists (a missing key points at its parent). */
function lineOf(document: Document, lineCounter: LineCounter, issuePath: (string | number)[]): number {
  for (let depth = issuePath.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? document.contents : document.getIn(issuePath.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return 1;
}
