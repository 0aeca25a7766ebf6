/**
 * The staff pages' frames: `/review` (reviewer key) and `/campaigns/<id>`
 * (admin key). The key is typed once and kept in the tab's sessionStorage;
 * everything behind it, even which campaigns the key may review, is read from
 * the JSON API by the page's script.
 */
import type { LoadedCampaign } from '../../config/campaign-loader.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import type { Lang } from './locale.js';
import { STRINGS, type Strings } from './strings.js';

function keyForm(words: Strings, label: string): Html {
  return html`<form id="key-form" class="card inline-form" autocomplete="off">
  <label for="api-key">${label}</label>
  <input id="api-key" name="key" type="password" required aria-describedby="key-hint">
  <button type="submit">${words.keySubmit}</button>
  <p id="key-hint" class="hint">${words.keyHint}</p>
  <p id="key-error" class="error" role="alert"></p>
</form>
<p class="signed-in" hidden><button type="button" id="key-forget" class="link">${words.keyForget}</button></p>`;
}

export function reviewPage(signals: readonly string[], lang: Lang): string {
  const words = STRINGS[lang];
  const body = html`
<h1>${words.reviewTitle}</h1>
${keyForm(words, words.reviewKeyLabel)}
<div id="console" hidden>
  <form id="filters" class="card filters" aria-labelledby="filters-title">
    <h2 id="filters-title">${words.filtersTitle}</h2>
    <label>${words.filterCampaign}<select name="campaign" id="campaign-filter"><option value="">${words.any}</option></select></label>
    <label>${words.filterSignal}<select name="reason"><option value="">${words.any}</option>${signals.map((signal) => html`<option value="${signal}">${signal}</option>`)}</select></label>
    <label>${words.filterDecision}<select name="status">
      <option value="open">${words.statusOpen}</option><option value="approved">${words.statusApproved}</option>
      <option value="rejected">${words.statusRejectedFlag}</option><option value="all">${words.any}</option>
    </select></label>
    <label>${words.filterAge}<select name="age"><option value="0">${words.any}</option><option value="3600">${words.ageHour}</option><option value="86400">${words.ageDay}</option><option value="604800">${words.ageWeek}</option></select></label>
  </form>
  <p class="hint" id="shortcuts">${words.shortcuts}</p>
  <div class="review-grid">
    <section class="card" aria-labelledby="queue-title">
      <h2 id="queue-title">${words.queueTitle} <span id="queue-count" class="count"></span></h2>
      <div class="bulk">
        <button type="button" id="bulk-approve">${words.approveSelected}</button>
        <button type="button" id="bulk-reject" class="danger">${words.rejectSelected}</button>
      </div>
      <ul id="queue" class="queue" aria-labelledby="queue-title"></ul>
    </section>
    <section class="card" aria-labelledby="evidence-title" id="evidence-panel">
      <h2 id="evidence-title">${words.evidenceTitle}</h2>
      <div id="evidence"><p>${words.evidencePick}</p></div>
      <form id="decide-form" hidden>
        <label for="note">${words.noteLabel}</label>
        <textarea id="note" name="note" rows="2" maxlength="2000"></textarea>
        <div class="actions">
          <button type="button" id="approve">${words.approve} <kbd>a</kbd></button>
          <button type="button" id="reject" class="danger">${words.reject} <kbd>r</kbd></button>
          <button type="button" id="block" class="quiet">${words.block}</button>
        </div>
      </form>
    </section>
  </div>
  <div class="columns">
    <section class="card" aria-labelledby="audit-title"><h2 id="audit-title">${words.auditTitle}</h2><ol id="audit" class="plain"></ol></section>
    <section class="card" aria-labelledby="blocks-title"><h2 id="blocks-title">${words.blocksTitle}</h2><ul id="blocks" class="plain"></ul></section>
  </div>
</div>`;
  return layout({ lang, title: words.reviewTitle, path: '/review', body, scripts: ['review.js'], data: {} });
}

export function dashboardPage({ campaign }: LoadedCampaign, lang: Lang): string {
  const words = STRINGS[lang];
  // Anyone may open the frame: a campaign whose boards are private is named by its id until a key shows more.
  const name = campaign.leaderboards.public ? campaign.name[lang] : campaign.id;
  const body = html`
<h1>${words.dashboardTitle} <span class="sub">${name}</span></h1>
${keyForm(words, words.adminKeyLabel)}
<div id="dashboard" hidden>
  <section aria-label="${words.dashboardTitle}"><dl class="kpis" id="kpis"></dl></section>
  <section class="card" aria-labelledby="chart-title">
    <h2 id="chart-title">${words.perHourTitle}</h2>
    <div id="chart" class="chart" role="img" aria-labelledby="chart-title"></div>
  </section>
  <div class="columns">
    <section class="card" aria-labelledby="posts-title"><h2 id="posts-title">${words.topPostsTitle}</h2><div id="top-posts"></div></section>
    <section class="card" aria-labelledby="rejects-title"><h2 id="rejects-title">${words.rejectsTitle}</h2><ul id="rejects" class="plain"></ul></section>
  </div>
  <section class="card" aria-labelledby="accounts-title"><h2 id="accounts-title">${words.accountsTitle}</h2><div id="accounts" class="scroll" tabindex="0"></div></section>
</div>`;
  return layout({
    lang, title: `${words.dashboardTitle} · ${name}`, path: `/campaigns/${campaign.id}`, body,
    scripts: ['dashboard.js'], styles: ['uPlot.min.css'],
    data: { campaignId: campaign.id, timezone: campaign.timezone },
  });
}
