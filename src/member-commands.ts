/**
 * `nuqta members link --campaign ID @handle`: prints the link to a follower's
 * own page (/me/<token>), signed with the server secret, for the brand to
 * send in a DM reply, a bio link or a QR code at the till.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { CampaignRegistry } from './config/campaign-registry.js';
import { DEFAULT_LINK_DAYS, MAX_LINK_DAYS, MemberLinks } from './api/member-link.js';
import { followerLink, handleSchema, memberByHandle, publicBase } from './api/member-link-routes.js';
import { PublicIds } from './api/public-id.js';
import { NuqtaError } from './errors.js';

function daysOf(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > MAX_LINK_DAYS) throw new InvalidArgumentError(`must be a whole number of days from 1 to ${MAX_LINK_DAYS}`);
  return days;
}

/** What the command reads: the campaigns, the directory (by handle), the server secret and where the pages are served. */
type MemberLinkHost = Parameters<typeof memberByHandle>[0] & Parameters<typeof publicBase>[0] & {
  campaigns: Pick<CampaignRegistry, 'get'>;
  secret: Buffer;
  close(): Promise<void>;
};

export function registerMemberCommands(program: Command, open: () => Promise<MemberLinkHost>): void {
  program
    .command('members')
    .description('campaign members')
    .command('link')
    .description('print a signed link to the member\'s own page: balance, tier, next reward, history')
    .requiredOption('--campaign <id>', 'the campaign')
    .option('--days <n>', `how long the link works (1 to ${MAX_LINK_DAYS})`, daysOf, DEFAULT_LINK_DAYS)
    .argument('<handle>', 'the member\'s Instagram or TikTok handle, such as @sara.q')
    .action(async (handleArgument: string, options: { campaign: string; days: number }) => {
      const parsed = handleSchema.safeParse(handleArgument);
      if (!parsed.success) throw new NuqtaError('NUQTA_BAD_REQUEST', `"${handleArgument}" ${parsed.error.issues[0]?.message ?? 'is not a handle'}`);
      const nuqta = await open();
      try {
        const { campaign } = nuqta.campaigns.get(options.campaign);
        const member = await memberByHandle(nuqta, campaign.id, parsed.data);
        if (!member) throw new NuqtaError('NUQTA_MEMBER_NOT_FOUND', `nobody with the handle @${parsed.data} takes part in campaign "${campaign.id}"`);
        const links = new MemberLinks(nuqta.secret, new PublicIds(nuqta.secret));
        const link = followerLink(links, publicBase(nuqta), campaign.id, member.memberId, options.days, new Date());
        console.log(link.url);
        console.error(`@${parsed.data} in ${campaign.id}, valid until ${link.expiresAt.toISOString()}`);
      } finally {
        await nuqta.close();
      }
    });
}
