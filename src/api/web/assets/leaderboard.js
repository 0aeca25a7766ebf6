// The public leaderboard: rows of the chosen window, refreshed while the page is open, and "find me" by handle.
import { api, el, fill, formatNumber, formatTime, local, page, points, words, ApiError } from './common.js';

const base = `/v1/campaigns/${encodeURIComponent(page.campaignId)}`;
const tabs = [...document.querySelectorAll('[role="tab"]')];
const rows = document.getElementById('board-rows');
const status = document.getElementById('board-status');
const caption = document.getElementById('board-caption');
const findForm = document.getElementById('find-form');
const findResult = document.getElementById('find-result');
let current = tabs[0]?.dataset.window ?? 'all';
let handle = '';
let myPublicId = '';

function row(entry) {
  const mine = entry.publicId === myPublicId;
  return el('tr', { className: [mine ? 'me' : '', entry.rank === 1 ? 'top-1' : ''].join(' ').trim() || null, 'data-public-id': entry.publicId },
    el('td', { className: 'num' }, formatNumber(entry.rank)),
    el('td', {}, el('bdi', {}, local(entry.displayName)), mine ? el('span', { className: 'me-mark' }, words.youMark) : null),
    el('td', { className: 'num' }, formatNumber(entry.points)));
}

async function refreshBoard() {
  try {
    const board = await api(`${base}/leaderboard?window=${encodeURIComponent(current)}&limit=${page.top}`);
    rows.replaceChildren(...(board.entries.length === 0 ? [el('tr', {}, el('td', { colspan: 3 }, words.boardEmpty))] : board.entries.map(row)));
    status.textContent = `${words.live} · ${fill(words.updatedAt, { time: formatTime(new Date()) })}`;
  } catch {
    status.textContent = words.failed;
  }
}

async function refreshStanding() {
  if (!handle) return;
  try {
    const standing = await api(`${base}/handles/${encodeURIComponent(handle)}/rank?window=${encodeURIComponent(current)}&around=3`);
    myPublicId = standing.publicId;
    if (standing.rank === null) {
      findResult.replaceChildren(el('p', { role: 'status' }, words.findNoPoints));
      return;
    }
    findResult.replaceChildren(
      el('p', { className: 'big-line', 'data-testid': 'my-rank' }, fill(words.findYou, { rank: formatNumber(standing.rank), points: points(standing.points) })),
      el('table', { className: 'board' },
        el('caption', {}, words.findAround),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', className: 'num' }, words.colRank), el('th', { scope: 'col' }, words.colMember), el('th', { scope: 'col', className: 'num' }, words.colPoints))),
        el('tbody', {}, standing.around.map(row))));
  } catch (failure) {
    myPublicId = '';
    findResult.replaceChildren(el('p', { className: 'error', role: 'status' }, failure instanceof ApiError && failure.status === 404 ? words.findNotFound : words.failed));
  }
}

async function refresh() {
  await refreshStanding();
  await refreshBoard();
}

function select(tab) {
  for (const other of tabs) {
    const chosen = other === tab;
    other.setAttribute('aria-selected', String(chosen));
    other.tabIndex = chosen ? 0 : -1;
  }
  current = tab.dataset.window;
  caption.textContent = fill(words.boardCaption, { window: tab.textContent });
  document.getElementById('board').setAttribute('aria-labelledby', tab.id);
  void refresh();
}

for (const tab of tabs) {
  tab.addEventListener('click', () => select(tab));
  tab.addEventListener('keydown', (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step === undefined) return;
    // In a right-to-left page the next tab is on the left.
    const forward = document.dir === 'rtl' ? -step : step;
    const next = tabs[(tabs.indexOf(tab) + forward + tabs.length) % tabs.length];
    next.focus();
    select(next);
  });
}

findForm.addEventListener('submit', (event) => {
  event.preventDefault();
  handle = new FormData(findForm).get('handle').toString().trim().replace(/^@/, '');
  void refresh();
});

void refresh();
setInterval(() => {
  if (document.visibilityState === 'visible') void refresh();
}, page.refreshMs);
