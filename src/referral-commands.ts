/**
 * `nuqta referrals …`: influencer codes made from a spreadsheet, a member's
 * own code, the codes with their uses, and the attribution report, for
 * brands that work from a terminal rather than through the API.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CampaignRegistry } from './config/campaign-registry.js';
import { NuqtaError } from './errors.js';
import type { LedgerStore } from './ledger/ledger-store.js';
import type { MemberDirectory } from './ledger/member-directory.js';
import type { MongoDecisionStore } from './scoring/decision-store.js';
import type { Attribution } from './referrals/attribution.js';
import { referralReport } from './scoring/order-points.js';
import { codeLinesOf } from './referrals/code-file.js';
import type { ReferralCounters } from './referrals/code-uses.js';
import { linkOf, type ReferralCodes } from './referrals/codes.js';
import type { ReferralOrders } from './referrals/orders.js';
import { handleSchema, memberByHandle } from './api/member-link-routes.js';

interface ReferralHost {
  campaigns: Pick<CampaignRegistry, 'get'>;
  directory: MemberDirectory;
  referralCodes: Pick<ReferralCodes, 'create' | 'forMember' | 'list' | 'end'>;
  referralCounters: Pick<ReferralCounters, 'usesOf'>;
  referralOrders: Pick<ReferralOrders, 'ofCampaign'>;
  ledger: Pick<LedgerStore, 'entries'>;
  decisions: Pick<MongoDecisionStore, 'get'>;
  close(): Promise<void>;
}

async function withHost<T>(open: () => Promise<ReferralHost>, work: (host: ReferralHost) => Promise<T>): Promise<T> {
  const host = await open();
  try {
    return await work(host);
  } finally {
    await host.close();
  }
}

function money(attribution: Attribution): string {
  return attribution.revenue.map(({ currency, amount }) => `${amount} ${currency}`).join(' + ') || '0';
}

export function registerReferralCommands(program: Command, open: () => Promise<ReferralHost>): void {
  const referrals = program.command('referrals').description('referral and influencer codes');

  referrals
    .command('import')
    .description('make influencer (or member) codes from a CSV: code,program,influencer[,handle,member,valid_from,valid_until,max_uses,max_uses_per_member]')
    .requiredOption('--campaign <id>', 'the campaign')
    .argument('<file>', 'the codes')
    .action(async (file: string, options: { campaign: string }) => {
      const text = await readFile(file, 'utf8').catch(() => {
        throw new NuqtaError('NUQTA_BAD_REQUEST', `${file}: file not found`);
      });
      const lines = codeLinesOf(text, file);
      await withHost(open, async (host) => {
        const { campaign } = host.campaigns.get(options.campaign);
        let made = 0;
        for (const { line, draft } of lines) {
          try {
            if (draft.ownerId !== undefined && !(await host.directory.get(campaign.id, draft.ownerId))) {
              throw new NuqtaError('NUQTA_MEMBER_NOT_FOUND', `no member "${draft.ownerId}" in campaign "${campaign.id}"`);
            }
            if ((await host.referralCodes.create(campaign, draft, new Date())).created) made += 1;
          } catch (error) {
            // Lines before this one are kept (making a code again changes nothing): fix the line and run the file again.
            const message = error instanceof Error ? error.message : String(error);
            throw new NuqtaError(error instanceof NuqtaError ? error.code : 'NUQTA_BAD_REQUEST', `${file}:${line} code: ${message} (${made} code(s) made before this line are kept)`);
          }
        }
        console.log(`${campaign.id}: ${made} code(s) made, ${lines.length - made} already there`);
      });
    });

  referrals
    .command('member-code')
    .description('print a member\u2019s own code and deep link (made once, then always the same)')
    .requiredOption('--campaign <id>', 'the campaign')
    .option('--program <id>', 'the member program (when the campaign has several)')
    .argument('<handle>', 'the member\u2019s handle, such as @sara.q')
    .action(async (handleArgument: string, options: { campaign: string; program?: string }) => {
      const handle = handleSchema.safeParse(handleArgument);
      if (!handle.success) throw new NuqtaError('NUQTA_BAD_REQUEST', `"${handleArgument}" ${handle.error.issues[0]?.message ?? 'is not a handle'}`);
      await withHost(open, async (host) => {
        const { campaign } = host.campaigns.get(options.campaign);
        const programs = campaign.referrals.filter((candidate) => candidate.codes === 'member');
        const programId = options.program ?? (programs.length === 1 ? programs[0]?.id : undefined);
        if (programId === undefined) throw new NuqtaError('NUQTA_BAD_REQUEST', programs.length === 0 ? `campaign "${campaign.id}" has no referral program for member codes` : 'the campaign has several member programs: pass --program');
        const member = await memberByHandle(host, campaign.id, handle.data);
        if (!member) throw new NuqtaError('NUQTA_MEMBER_NOT_FOUND', `nobody with the handle @${handle.data} takes part in campaign "${campaign.id}"`);
        const { code } = await host.referralCodes.forMember(campaign, programId, member, new Date());
        const program = campaign.referrals.find((candidate) => candidate.id === code.program);
        console.log(code.code);
        const link = program && linkOf(program, code.code);
        if (link) console.log(link);
      });
    });

  referrals
    .command('end')
    .description('stop a code working now: orders from now on earn nothing with it')
    .requiredOption('--campaign <id>', 'the campaign')
    .argument('<code>', 'the code')
    .action(async (code: string, options: { campaign: string }) => {
      await withHost(open, async (host) => {
        const { campaign } = host.campaigns.get(options.campaign);
        const ended = await host.referralCodes.end(campaign.id, code.toUpperCase(), new Date());
        if (!ended) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaign.id}" has no code ${code.toUpperCase()}`);
        console.log(`${ended.code}: works until ${ended.validUntil?.toISOString() ?? ''}`);
      });
    });

  referrals
    .command('list')
    .description('the campaign\u2019s codes with their uses')
    .requiredOption('--campaign <id>', 'the campaign')
    .action(async (options: { campaign: string }) => {
      await withHost(open, async (host) => {
        const { campaign } = host.campaigns.get(options.campaign);
        const codes = await host.referralCodes.list(campaign.id);
        const uses = await host.referralCounters.usesOf(campaign.id, codes.map((code) => code.code));
        for (const code of codes) {
          const whose = code.influencer ? `influencer ${code.influencer.name}` : `member ${code.ownerId ?? ''}`;
          const until = code.validUntil ? ` until ${code.validUntil.toISOString()}` : '';
          console.log(`${code.code}\t${code.program}\t${whose}\t${uses.get(code.code) ?? 0}${code.maxUses === undefined ? '' : `/${code.maxUses}`} use(s)${until}`);
        }
      });
    });

  referrals
    .command('report')
    .description('attribution per code and influencer: uses, buyers, first-time buyers, revenue, points')
    .requiredOption('--campaign <id>', 'the campaign')
    .option('--json', 'print the report as JSON (as the API returns it)')
    .action(async (options: { campaign: string; json?: boolean }) => {
      await withHost(open, async (host) => {
        const { campaign } = host.campaigns.get(options.campaign);
        const report = await referralReport(host, campaign.id);
        if (options.json) {
          console.log(JSON.stringify({ campaignId: campaign.id, ...report }, null, 2));
          return;
        }
        const row = (name: string, attribution: Attribution): string =>
          `${name}\t${attribution.uses} use(s)\t${attribution.buyers} buyer(s)\t${attribution.firstTimeBuyers} first-time\t${money(attribution)}\t${attribution.points.issued} points issued\t${attribution.points.held} held`;
        console.log('code\tuses\tbuyers\tfirst-time\trevenue\tpoints\theld');
        for (const code of report.codes) console.log(row(code.code, code));
        for (const influencer of report.influencers) console.log(row(`influencer ${influencer.influencer.name} (${influencer.codes.join(', ')})`, influencer));
        console.log(row('total', report.total));
      });
    });
}
