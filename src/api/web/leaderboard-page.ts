/**
 * `/leaderboard/<campaign>`: the public board. The frame, the tabs and the
 * reward ladder come from the server; the rows, "find me" and the live
 * updates come from /assets/leaderboard.js reading the JSON API.
 */
import type { LoadedCampaign } from '../../config/campaign-loader.js';
import { html } from './html.js';
import { layout, noticePage, type RenderedPage } from './layout.js';
import { fill, formatDate, pointsIn, type Lang } from './locale.js';
import { STRINGS } from './strings.js';

/** How often an open board asks for fresh rows (the API serves the public the same page for a second). */
const REFRESH_MS = 3_000;

export function leaderboardPage({ campaign }: LoadedCampaign, lang: Lang): RenderedPage {
  const words = STRINGS[lang];
  const path = `/leaderboard/${campaign.id}`;
  if (!campaign.leaderboards.public) {
    return { status: 404, body: noticePage(lang, path, words.boardPrivateTitle, words.boardPrivateBody) };
  }
  const windows = [
    ...campaign.leaderboards.windows.map((window) => ({ id: window, label: { all: words.windowAll, week: words.windowWeek, month: words.windowMonth }[window] })),
    ...campaign.challenges.map((challenge) => ({ id: `challenge:${challenge.id}`, label: fill(words.windowChallenge, { id: challenge.id }) })),
  ];
  const zone = campaign.timezone;
  const rewards = [...campaign.rewards].sort((a, b) => a.cost - b.cost);
  const tiers = [...campaign.tiers].sort((a, b) => a.min_earned - b.min_earned);
  const body = html`
<h1>${words.boardTitle} <span class="sub">${campaign.name[lang]}</span></h1>
<p class="dates">${formatDate(lang, campaign.starts_at, zone)} – ${formatDate(lang, campaign.ends_at, zone)}</p>
<div class="tabs" role="tablist" aria-label="${words.boardTitle}">
  ${windows.map((window, index) => html`<button type="button" role="tab" id="tab-${window.id.replace(':', '-')}" data-window="${window.id}" aria-controls="board" aria-selected="${index === 0 ? 'true' : 'false'}" tabindex="${index === 0 ? '0' : '-1'}">${window.label}</button>`)}
</div>
<section id="board" class="card" role="tabpanel" aria-labelledby="tab-${(windows[0]?.id ?? 'all').replace(':', '-')}">
  <table class="board">
    <caption id="board-caption">${fill(words.boardCaption, { window: windows[0]?.label ?? words.windowAll })}</caption>
    <thead><tr><th scope="col" class="num">${words.colRank}</th><th scope="col">${words.colMember}</th><th scope="col" class="num">${words.colPoints}</th></tr></thead>
    <tbody id="board-rows"><tr><td colspan="3">${words.loading}</td></tr></tbody>
  </table>
  <p class="status" id="board-status" aria-live="polite">${words.live}</p>
</section>
<section class="card" aria-labelledby="find-title">
  <h2 id="find-title">${words.findTitle}</h2>
  <form id="find-form" class="inline-form">
    <label for="handle">${words.handleLabel}</label>
    <input id="handle" name="handle" type="text" inputmode="text" autocomplete="username" autocapitalize="none" spellcheck="false" dir="ltr" aria-describedby="handle-hint" required>
    <button type="submit">${words.findButton}</button>
    <p id="handle-hint" class="hint">${words.handleHint}</p>
  </form>
  <div id="find-result" aria-live="polite"></div>
</section>
<div class="columns">
  <section class="card" aria-labelledby="rewards-title">
    <h2 id="rewards-title">${words.rewardsTitle}</h2>
    <ol class="ladder">${rewards.map((reward) => html`<li><span>${reward.name[lang]}</span><span class="cost">${pointsIn(lang, reward.cost)}</span></li>`)}</ol>
  </section>
  ${tiers.length > 1 ? html`<section class="card" aria-labelledby="tiers-title">
    <h2 id="tiers-title">${words.tiersTitle}</h2>
    <ol class="ladder">${tiers.map((tier) => html`<li><span>${(tier.name ?? { ar: tier.id, en: tier.id })[lang]}</span><span class="cost">${fill(words.tierFrom, { points: pointsIn(lang, tier.min_earned) })}</span></li>`)}</ol>
  </section>` : ''}
</div>`;
  return {
    status: 200,
    body: layout({
      lang, title: `${words.boardTitle} · ${campaign.name[lang]}`, path, body,
      scripts: ['leaderboard.js'],
      data: { campaignId: campaign.id, timezone: zone, refreshMs: REFRESH_MS, top: campaign.leaderboards.top, windows },
    }),
  };
}
