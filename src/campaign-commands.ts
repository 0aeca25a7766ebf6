/**
 * `nuqta campaigns validate|push|pull|diff|history`, for people who keep
 * their campaigns in git: a file is checked and pushed as a new revision
 * (running processes score with it within a second), the stored campaign is
 * pulled back as YAML, and a file is compared with what is stored.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { CampaignFileError, loadCampaignDirectory, parseCampaignFile, type LoadedCampaign } from './config/campaign-loader.js';
import type { CampaignCatalog } from './config/campaign-catalog.js';
import { campaignChanges, formatChange } from './config/campaign-diff.js';
import type { NuqtaConfig } from './config/env.js';

/** The stored campaigns these commands work on, closed when a command ends. */
interface CatalogHost {
  catalog: CampaignCatalog;
  close(): Promise<void>;
}

async function readCampaignFile(file: string): Promise<LoadedCampaign> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CampaignFileError([{ file, line: 0, path: '', message: 'file not found' }]);
  }
  const parsed = parseCampaignFile(file, text);
  if (!parsed.campaign) throw new CampaignFileError(parsed.problems);
  return parsed.campaign;
}

async function withCatalog<T>(open: () => Promise<CatalogHost>, work: (catalog: CampaignCatalog) => Promise<T>): Promise<T> {
  const host = await open();
  try {
    return await work(host.catalog);
  } finally {
    await host.close();
  }
}

export function registerCampaignCommands(program: Command, config: () => NuqtaConfig, open: () => Promise<CatalogHost>): void {
  const campaigns = program.command('campaigns').description('campaigns: files, stored revisions and changes');

  campaigns
    .command('validate')
    .description('check every campaign file; exits non-zero on any problem')
    .option('--dir <path>', 'campaign folder (default NUQTA_CAMPAIGNS)')
    .action(async (options: { dir?: string }) => {
      const loaded = await loadCampaignDirectory(options.dir ?? config().NUQTA_CAMPAIGNS);
      for (const { campaign, file, revision } of loaded) {
        console.log(`ok ${file}: ${campaign.id} (${campaign.name.en} / ${campaign.name.ar}), ${campaign.rules.length} rules, revision ${revision}`);
      }
    });

  campaigns
    .command('push')
    .description('store campaign files as new revisions; running processes score with them within a second')
    .argument('<files...>', 'campaign YAML files')
    .action(async (files: string[]) => {
      // Every file is checked before any is stored.
      const loaded = await Promise.all(files.map(readCampaignFile));
      await withCatalog(open, async (catalog) => {
        for (const file of loaded) {
          const previous = await catalog.latest(file.campaign.id).catch(() => undefined);
          const result = await catalog.save({ source: file.source, origin: 'cli', author: `${userInfo().username}: ${file.file}` });
          if (!result.stored) {
            console.log(`${file.campaign.id}: unchanged (revision ${previous?.n ?? 1}, ${file.revision})`);
            continue;
          }
          const changes = previous ? campaignChanges(catalog.parseStored(previous).campaign, result.loaded.campaign) : [];
          console.log(`${file.campaign.id}: stored revision ${result.loaded.n ?? 1} (${result.loaded.revision})${previous ? `, ${changes.length} change(s)` : ', new campaign'}`);
          for (const change of changes) console.log(`  ${formatChange(change)}`);
        }
      });
    });

  campaigns
    .command('pull')
    .description('print the newest stored revision of a campaign as YAML (or write it to a file)')
    .argument('<campaignId>', 'the campaign')
    .option('--out <file>', 'write to this file instead of printing')
    .action(async (campaignId: string, options: { out?: string }) => {
      await withCatalog(open, async (catalog) => {
        const latest = await catalog.latest(campaignId);
        if (options.out === undefined) {
          process.stdout.write(latest.source);
        } else {
          await writeFile(options.out, latest.source);
          console.log(`${campaignId}: revision ${latest.n} (${latest.revision}) written to ${options.out}`);
        }
      });
    });

  campaigns
    .command('diff')
    .description('what a campaign file changes from the stored campaign, path by path')
    .argument('<file>', 'a campaign YAML file')
    .action(async (file: string) => {
      const local = await readCampaignFile(file);
      await withCatalog(open, async (catalog) => {
        const stored = await catalog.latest(local.campaign.id);
        const changes = campaignChanges(catalog.parseStored(stored).campaign, local.campaign);
        if (changes.length === 0) console.log(`${local.campaign.id}: ${file} matches revision ${stored.n} (${stored.revision})`);
        else console.log(`${local.campaign.id}: ${file} against revision ${stored.n} (${stored.revision}), ${changes.length} change(s):`);
        for (const change of changes) console.log(`  ${formatChange(change)}`);
      });
    });

  campaigns
    .command('history')
    .description('every stored revision of a campaign: who made it, when, and what it changed')
    .argument('<campaignId>', 'the campaign')
    .action(async (campaignId: string) => {
      await withCatalog(open, async (catalog) => {
        const revisions = await catalog.history(campaignId);
        revisions.forEach((revision, index) => {
          const before = revisions[index - 1];
          const changes = before ? campaignChanges(catalog.parseStored(before).campaign, catalog.parseStored(revision).campaign) : [];
          console.log(`${revision.n}  ${revision.revision}  ${revision.createdAt.toISOString()}  ${revision.origin}  ${revision.author}`);
          for (const change of changes) console.log(`     ${formatChange(change)}`);
        });
      });
    });
}
