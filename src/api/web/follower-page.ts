/**
 * `/me/<token>`: a follower's own page, rendered on the server from the
 * signed link. A link that was altered, has expired or names nobody gets a
 * page that says so, and never another member's points.
 */
import type { Nuqta } from '../../app.js';
import type { Campaign, ReferralProgram } from '../../config/campaign-schema.js';
import type { LedgerEntry } from '../../ledger/entry.js';
import type { Voucher } from '../../ledger/vouchers.js';
import { linkOf, type ReferralCode } from '../../referrals/codes.js';
import type { ApiAccess } from '../auth.js';
import { memberView } from '../members.js';
import { html, type Html } from './html.js';
import { layout, noticePage, type RenderedPage } from './layout.js';
import { fill, formatDate, formatNumber, localDigits, pointsIn, type Lang } from './locale.js';
import { STRINGS, type Strings } from './strings.js';

const HISTORY_SHOWN = 30;

type MemberView = Awaited<ReturnType<typeof memberView>>;

export async function followerPage(nuqta: Nuqta, access: ApiAccess, token: string, lang: Lang, now: Date): Promise<RenderedPage> {
  const words = STRINGS[lang];
  const path = `/me/${token}`;
  const check = access.links.check(token, now);
  if (!check.ok) {
    const [title, text] = check.problem === 'expired' ? [words.linkExpiredTitle, words.linkExpiredBody] : [words.linkInvalidTitle, words.linkInvalidBody];
    return { status: check.problem === 'expired' ? 410 : 404, body: noticePage(lang, path, title, text) };
  }
  const loaded = nuqta.campaigns.find(check.campaignId);
  const member = loaded && (await nuqta.states.get(check.campaignId, check.memberId));
  if (!loaded || !member) return { status: 404, body: noticePage(lang, path, words.linkGoneTitle, words.linkGoneBody) };
  const view = await memberView(nuqta, access.publicIds, loaded, member, now);
  const { campaign } = loaded;
  const [history, vouchers, codes] = await Promise.all([
    nuqta.ledger.history(campaign.id, member.memberId, { limit: HISTORY_SHOWN, lastSeq: member.state.seq }),
    nuqta.vouchers.wallet(campaign.id, member.memberId),
    // The member's own code of each member program: made on their first visit, the same one ever after.
    Promise.all(campaign.referrals.filter((program) => program.codes === 'member').map(async (program) => ({
      program,
      code: (await nuqta.referralCodes.forMember(campaign, program.id, member, now)).code,
    }))),
  ]);
  const zone = campaign.timezone;
  const points = (n: number): string => pointsIn(lang, n);
  const body = html`
<h1>${words.meTitle} <span class="sub">${campaign.name[lang]}</span></h1>
<p class="who"><bdi>${view.displayName[lang]}</bdi></p>
<section class="card balance" aria-labelledby="balance-title">
  <h2 id="balance-title">${words.balance}</h2>
  <p class="big" data-testid="balance">${points(view.balance)}</p>
  <p>${fill(words.earnedTotal, { points: points(view.earned) })}</p>
  ${view.rank === null ? '' : html`<p>${fill(words.rankLine, { rank: formatNumber(lang, view.rank) })}</p>`}
</section>
<section class="card" aria-labelledby="tier-title">
  <h2 id="tier-title">${words.tierTitle}</h2>
  <p>${fill(words.tierNow, { tier: view.tier.name[lang] })}</p>
  ${tierProgress(lang, words, view)}
</section>
<section class="card" aria-labelledby="reward-title">
  <h2 id="reward-title">${words.nextRewardTitle}</h2>
  ${view.nextReward
    ? html`<p data-testid="next-reward"><strong>${view.nextReward.name[lang]}</strong> · ${points(view.nextReward.cost)}</p>
      <p>${localDigits(lang, view.nextReward.message[lang])}</p>`
    : html`<p data-testid="next-reward">${words.nextRewardNone}</p>`}
</section>
<section class="card" aria-labelledby="expiring-title">
  <h2 id="expiring-title">${words.expiringTitle}</h2>
  ${view.expiring.lots.length === 0
    ? html`<p>${fill(words.expiringNone, { n: formatNumber(lang, view.expiring.withinDays) })}</p>`
    : html`<ul class="plain">${view.expiring.lots.map((lot) => html`<li>${fill(words.expiringLot, { points: points(lot.points), date: formatDate(lang, new Date(lot.expiresAt), zone) })}</li>`)}</ul>`}
</section>
${view.pending.points === 0 ? '' : pendingList(lang, words, view)}
${codes.map((own) => referralCard(lang, words, own, zone))}
${vouchers.length === 0 ? '' : walletList(lang, words, vouchers, campaign, zone)}
<section class="card" aria-labelledby="history-title">
  <h2 id="history-title">${words.historyTitle}</h2>
  ${history.length === 0 ? html`<p>${words.historyEmpty}</p>` : historyTable(lang, words, history, zone)}
</section>`;
  return { status: 200, body: layout({ lang, title: words.meTitle, path, body }) };
}

function tierProgress(lang: Lang, words: Strings, view: MemberView): Html {
  const next = view.nextTier;
  if (!next) return html`<p data-testid="tier-progress">${words.tierTop}</p>`;
  const percent = Math.round(next.progress * 100);
  return html`<label class="progress-label" for="tier-progress">${fill(words.tierProgressLabel, { tier: next.name[lang] })}</label>
  <progress id="tier-progress" max="100" value="${percent}">${formatNumber(lang, percent)}%</progress>
  <p data-testid="tier-progress">${localDigits(lang, next.message[lang])}</p>`;
}

/** Points held or under review, and why: they count once a reviewer approves them. */
function pendingList(lang: Lang, words: Strings, view: MemberView): Html {
  return html`<section class="card" aria-labelledby="pending-title">
  <h2 id="pending-title">${words.pendingTitle}</h2>
  <p data-testid="pending">${fill(words.pendingLine, { points: pointsIn(lang, view.pending.points), spendable: pointsIn(lang, view.pending.spendable) })}</p>
  <ul class="plain">${view.pending.entries.map((entry) => html`<li>${pointsIn(lang, entry.points)} · ${localDigits(lang, entry.reason.text[lang])}</li>`)}</ul>
</section>`;
}

/** The member's own code to share, what it earns both sides, and its deep link. */
function referralCard(lang: Lang, words: Strings, own: { program: ReferralProgram; code: ReferralCode }, zone: string): Html {
  const { program, code } = own;
  const link = linkOf(program, code.code);
  return html`<section class="card" aria-labelledby="refer-${program.id}">
  <h2 id="refer-${program.id}">${program.name?.[lang] ?? words.referTitle}</h2>
  <p class="big" data-testid="referral-code"><bdi dir="ltr">${code.code}</bdi></p>
  <p>${fill(words.referLine, { buyer: pointsIn(lang, program.buyer_points), referrer: pointsIn(lang, program.referrer_points) })}${program.first_order_only ? html` ${words.referFirstOrder}` : ''}${code.validUntil ? html` ${fill(words.referUntil, { date: formatDate(lang, code.validUntil, zone) })}` : ''}</p>
  ${link === undefined ? '' : html`<p><a href="${link}" dir="ltr">${link}</a></p>`}
</section>`;
}

/** The codes the member's redemptions issued, with what they are for and whether they can still be used. */
function walletList(lang: Lang, words: Strings, vouchers: readonly Voucher[], campaign: Campaign, zone: string): Html {
  const state = (voucher: Voucher): string =>
    voucher.status === 'used' ? words.voucherUsed : voucher.status === 'cancelled' || voucher.status === 'cancelling' ? words.voucherCancelled : words.voucherIssued;
  return html`<section class="card" aria-labelledby="wallet-title">
  <h2 id="wallet-title">${words.walletTitle}</h2>
  <ul class="plain" data-testid="wallet">${vouchers.map((voucher) => html`<li>
    <strong><bdi dir="ltr">${voucher.code}</bdi></strong> · ${campaign.rewards.find((reward) => reward.id === voucher.rewardId)?.name[lang] ?? voucher.rewardId} · ${state(voucher)}${voucher.expiresAt && voucher.status === 'issued' ? html` · ${fill(words.voucherUntil, { date: formatDate(lang, voucher.expiresAt, zone) })}` : ''}
  </li>`)}</ul>
</section>`;
}

function historyTable(lang: Lang, words: Strings, entries: readonly LedgerEntry[], zone: string): Html {
  const status = (entry: LedgerEntry): string => (entry.status === 'held' ? ` (${words.statusHeld})` : entry.status === 'rejected' ? ` (${words.statusRejected})` : '');
  return html`<div class="scroll" tabindex="0"><table>
    <thead><tr><th scope="col">${words.colDate}</th><th scope="col">${words.colReason}</th><th scope="col" class="num">${words.colPoints}</th></tr></thead>
    <tbody>${entries.map((entry) => html`<tr class="${entry.status === 'posted' ? 'posted' : 'muted'}">
      <td class="date">${formatDate(lang, entry.occurredAt, zone)}</td>
      <td>${localDigits(lang, entry.reason.text[lang])}${status(entry)}</td>
      <td class="num" dir="ltr">${entry.points > 0 ? '+' : ''}${formatNumber(lang, entry.points)}</td>
    </tr>`)}</tbody>
  </table></div>`;
}
