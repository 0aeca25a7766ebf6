/**
 * `nuqta vouchers upload --campaign ID --reward ID FILE`: adds a till's or
 * e-shop's exported codes to a reward's voucher pool. A file with a bad line
 * adds nothing and names the line.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CampaignRegistry } from './config/campaign-registry.js';
import { NuqtaError } from './errors.js';
import { voucherCodesOf } from './ledger/voucher-pool-file.js';
import type { Vouchers } from './ledger/vouchers.js';

interface VoucherHost {
  campaigns: Pick<CampaignRegistry, 'get'>;
  vouchers: Pick<Vouchers, 'upload'>;
  close(): Promise<void>;
}

export function registerVoucherCommands(program: Command, open: () => Promise<VoucherHost>): void {
  program
    .command('vouchers')
    .description('voucher pools of rewards that issue codes')
    .command('upload')
    .description('add codes (a CSV with a code column, or one code per line) to a reward\u2019s pool')
    .requiredOption('--campaign <id>', 'the campaign')
    .requiredOption('--reward <id>', 'a reward with voucher: { pool: true }')
    .argument('<file>', 'the codes')
    .action(async (file: string, options: { campaign: string; reward: string }) => {
      const text = await readFile(file, 'utf8').catch(() => {
        throw new NuqtaError('NUQTA_BAD_REQUEST', `${file}: file not found`);
      });
      const codes = voucherCodesOf(text, file);
      const host = await open();
      try {
        const reward = host.campaigns.get(options.campaign).campaign.rewards.find((candidate) => candidate.id === options.reward);
        if (reward?.voucher?.pool !== true) throw new NuqtaError('NUQTA_BAD_REQUEST', `campaign "${options.campaign}" has no reward "${options.reward}" with a voucher pool`);
        const result = await host.vouchers.upload(options.campaign, options.reward, codes, new Date());
        console.log(`${options.campaign}/${options.reward}: ${result.added} code(s) added, ${result.repeated} already known, ${result.available} available`);
      } finally {
        await host.close();
      }
    });
}
