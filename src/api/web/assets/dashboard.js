// The brand's dashboard: KPIs, engagement per hour (uPlot), top posts, accounts' health, refused webhook deliveries.
import uPlot from './uPlot.esm.js';
import { api, el, formatDateTime, formatNumber, formatPercent, keyGate, local, page, words } from './common.js';

const path = `/v1/campaigns/${encodeURIComponent(page.campaignId)}/dashboard`;
let latest = null;

function kpis(values) {
  const shown = [
    [words.participants, formatNumber(values.participants)],
    [words.pointsIssued, formatNumber(values.pointsIssued)],
    [words.pointsRedeemed, formatNumber(values.pointsRedeemed)],
    [words.pointsExpired, formatNumber(values.pointsExpired)],
    [words.redemptionRate, formatPercent(values.redemptionRate)],
    [words.flaggedShare, formatPercent(values.flaggedShare)],
  ];
  document.getElementById('kpis').replaceChildren(...shown.map(([label, value]) => el('div', {}, el('dt', {}, label), el('dd', {}, value))));
}

function chart({ hours, events }) {
  const box = document.getElementById('chart');
  box.replaceChildren();
  if (hours.length === 0) {
    box.append(el('p', {}, words.none));
    return;
  }
  const locale = page.lang === 'ar' ? 'ar-SA' : 'en-GB';
  const day = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: page.timezone });
  const hour = new Intl.DateTimeFormat(locale, { hour: 'numeric', timeZone: page.timezone });
  const label = (seconds) => `${day.format(new Date(seconds * 1000))}\n${hour.format(new Date(seconds * 1000))}`;
  const options = {
    width: Math.max(280, box.clientWidth),
    height: 260,
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), page.timezone),
    scales: { x: { time: true } },
    legend: { show: false },
    axes: [
      { stroke: '#4f5b6b', grid: { stroke: '#ece8df' }, space: 90, size: 56, values: (_plot, ticks) => ticks.map(label) },
      { stroke: '#4f5b6b', grid: { stroke: '#ece8df' }, values: (_plot, ticks) => ticks.map((tick) => formatNumber(tick)) },
    ],
    series: [{}, { label: words.perHourSeries, stroke: '#0b6b5a', width: 1, fill: '#0b6b5a', paths: uPlot.paths.bars({ size: [0.8, 24] }), points: { show: false } }],
  };
  const plot = new uPlot(options, [hours, events], box);
  new ResizeObserver(() => plot.setSize({ width: Math.max(280, box.clientWidth), height: 260 })).observe(box);
}

function topPosts(posts) {
  const box = document.getElementById('top-posts');
  if (posts.length === 0) return box.replaceChildren(el('p', {}, words.none));
  box.replaceChildren(el('table', {},
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, words.colPost), el('th', { scope: 'col', className: 'num' }, words.colEngagements), el('th', { scope: 'col', className: 'num' }, words.colComments))),
    el('tbody', {}, posts.map((post) => el('tr', {}, el('td', { dir: 'ltr' }, post.mediaId), el('td', { className: 'num' }, formatNumber(post.engagements)), el('td', { className: 'num' }, formatNumber(post.comments)))))));
}

function accounts(list) {
  const box = document.getElementById('accounts');
  if (list.length === 0) return box.replaceChildren(el('p', {}, words.none));
  const status = (account) => {
    if (!account.connected) return el('span', { className: 'health-bad' }, words.notConnected);
    const healthy = account.status === 'active';
    return el('span', { className: healthy ? 'health-ok' : 'health-bad' }, account.pausedFor ? `${account.status} (${account.pausedFor})` : account.status);
  };
  box.replaceChildren(el('table', {},
    el('thead', {}, el('tr', {}, [words.colAccount, words.colStatus, words.colTokenExpiry, words.colBudget, words.colLastPoll].map((label) => el('th', { scope: 'col' }, label)))),
    el('tbody', {}, list.map((account) => el('tr', {},
      el('td', {}, el('bdi', {}, `${account.platform} ${account.username ? `@${account.username}` : account.accountId}`)),
      el('td', {}, status(account)),
      el('td', {}, account.tokenExpiresAt ? formatDateTime(account.tokenExpiresAt, page.timezone) : '—'),
      el('td', { className: 'num' }, account.budgetLeftPercent === null ? '—' : formatPercent(account.budgetLeftPercent / 100)),
      el('td', {}, account.lastPoll ? `${formatDateTime(account.lastPoll.at, page.timezone)} · ${account.lastPoll.outcome} · ${formatNumber(account.lastPoll.events)}` : '—'))))));
}

function rejects(list) {
  document.getElementById('rejects').replaceChildren(...(list.length === 0 ? [el('li', {}, words.none)] : list.map((item) => el('li', {}, `${item.reason}: ${formatNumber(item.count)}`))));
}

keyGate('nuqta.adminKey', (candidate) => api(path, { key: candidate }).then((reply) => { latest = reply; }), (key) => {
  document.getElementById('dashboard').hidden = false;
  // The frame names a private campaign by its id; the key may read its name.
  void api(`/v1/campaigns/${encodeURIComponent(page.campaignId)}`, { key }).then((campaign) => { document.querySelector('h1 .sub').textContent = local(campaign.name); });
  kpis(latest.kpis);
  chart(latest.eventsPerHour);
  topPosts(latest.topPosts);
  accounts(latest.accounts);
  rejects(latest.webhookRejects);
});
