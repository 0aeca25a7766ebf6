// The review console: the queue with filters, a flag's evidence, decisions by button or keyboard, bulk decisions, the block list and the audit trail.
import { api, el, fill, formatDateTime, formatNumber, keyGate, local, localDigits, points, words } from './common.js';

const queue = document.getElementById('queue');
const evidence = document.getElementById('evidence');
const decideForm = document.getElementById('decide-form');
const note = document.getElementById('note');
const filters = document.getElementById('filters');
const audit = document.getElementById('audit');
const blocks = document.getElementById('blocks');
const blockButton = document.getElementById('block');
let key = '';
let flags = [];
let currentIndex = -1;
let currentEvidence = null;
const selected = new Set();

const statusWord = (status) => ({ open: words.statusOpen, approved: words.statusApproved, rejected: words.statusRejectedFlag }[status] ?? status);
const flagPath = (id) => `/v1/review/flags/${encodeURIComponent(id)}`;

async function loadQueue() {
  const form = new FormData(filters);
  const query = new URLSearchParams({ status: form.get('status'), limit: '100' });
  if (form.get('campaign')) query.set('campaign', form.get('campaign'));
  if (form.get('reason')) query.set('reason', form.get('reason'));
  const olderThan = Number(form.get('age')) * 1000;
  const reply = await api(`/v1/review/flags?${query}`, { key });
  flags = reply.flags.filter((flag) => Date.now() - Date.parse(flag.createdAt) >= olderThan);
  selected.clear();
  renderQueue();
  await show(flags.length > 0 ? 0 : -1);
}

function renderQueue() {
  document.getElementById('queue-count').textContent = `(${formatNumber(flags.length)})`;
  if (flags.length === 0) {
    queue.replaceChildren(el('li', {}, words.queueEmpty));
    return;
  }
  queue.replaceChildren(...flags.map((flag, index) => el('li', { id: `flag-${index}`, className: index === currentIndex ? 'current' : null, 'data-flag-id': flag.id },
    el('input', { type: 'checkbox', 'aria-label': fill(words.selectFlag, { flag: flag.eventKey }), checked: selected.has(flag.id), onchange: () => toggle(flag.id) }),
    el('button', { type: 'button', className: 'flag-open', 'aria-current': index === currentIndex ? 'true' : null, onclick: () => void show(index) },
      el('bdi', {}, flag.memberId),
      el('span', { className: 'flag-status', 'data-testid': 'flag-status' },
        `${statusWord(flag.status)} · ${points(flag.points)} · ${formatNumber(flag.score)} · ${flag.reasons.join(', ')}${flag.wave ? ` · ${words.waveBadge}` : ''}`)))));
}

function toggle(flagId) {
  if (selected.has(flagId)) selected.delete(flagId);
  else selected.add(flagId);
  renderQueue();
}

async function show(index) {
  currentIndex = index;
  renderQueue();
  const flag = flags[index];
  if (!flag) {
    evidence.replaceChildren(el('p', {}, words.queueEmpty));
    decideForm.hidden = true;
    return;
  }
  document.getElementById(`flag-${index}`)?.scrollIntoView({ block: 'nearest' });
  const reply = await api(flagPath(flag.id), { key });
  if (flags[currentIndex]?.id !== flag.id) return;
  currentEvidence = reply;
  renderEvidence(reply);
  decideForm.hidden = false;
}

function renderEvidence({ flag, evidence: found }) {
  const member = found.member;
  const comment = found.event?.text;
  blockButton.textContent = member?.blocked ? words.unblock : words.block;
  evidence.replaceChildren(...[
    el('h3', {}, words.memberTitle),
    el('p', {}, el('bdi', {}, found.event?.username ? `@${found.event.username}` : flag.memberId), ' · ', points(member?.balance ?? 0),
      member?.blocked ? el('strong', { className: 'health-bad' }, ` · ${words.blocked}`) : null),
    flag.decision ? el('p', { 'data-testid': 'flag-decision' }, fill(words.decidedBy, { decision: statusWord(flag.status), by: flag.decision.by }), flag.decision.note ? ` — ${flag.decision.note}` : '') : null,
    flag.wave && flag.status === 'open' ? waveSection(flag) : null,
    el('h3', {}, words.signalsTitle),
    el('ul', { className: 'signals' }, flag.signals.map((signal) => el('li', {},
      el('code', {}, signal.code), ` (${formatNumber(signal.value)} × ${formatNumber(signal.weight)}) — `, localDigits(local(signal.text))))),
    el('div', { className: 'side-by-side' },
      el('div', {}, el('h3', {}, words.commentTitle), el('p', { className: 'comment', dir: 'auto' }, comment ?? '—')),
      el('div', {}, el('h3', {}, words.similarTitle),
        found.similarTexts.length === 0 ? el('p', {}, words.none)
          : el('ul', { className: 'plain' }, found.similarTexts.map((similar) => el('li', {},
            el('p', { className: 'comment', dir: 'auto' }, similar.text ?? ''), el('span', { className: 'hint' }, `${similar.memberId} · ${formatNumber(similar.similarity)}`)))))),
    el('h3', {}, words.activityTitle),
    found.recentActivity.length === 0 ? el('p', {}, words.none)
      : el('ul', { className: 'plain' }, found.recentActivity.map((item) => el('li', {}, `${formatDateTime(item.at)} · ${item.kind}`, item.text ? el('span', { dir: 'auto' }, ` — ${item.text}`) : null))),
  ].filter(Boolean));
}

/** A stock-text wave is decided in one action: every open flag of it, with the note typed. */
function waveSection(flag) {
  const inQueue = flags.filter((candidate) => candidate.wave?.id === flag.wave.id && candidate.status === 'open').length;
  const decideWave = async (decision) => {
    const text = note.value.trim();
    const reply = await api(`/v1/review/waves/${encodeURIComponent(flag.wave.id)}/decision`, { method: 'POST', key, body: { decision, ...(text ? { note: text } : {}) } });
    note.value = '';
    for (const result of reply.results) if (result.flag) applyDecided(result.flag);
    await show(currentIndex);
  };
  return el('section', { className: 'wave', 'aria-labelledby': 'wave-title' },
    el('h3', { id: 'wave-title' }, words.waveTitle),
    el('p', {}, fill(words.waveLine, { n: formatNumber(inQueue) })),
    el('button', { type: 'button', onclick: () => void decideWave('approve') }, words.approveWave), ' ',
    el('button', { type: 'button', className: 'danger', onclick: () => void decideWave('reject') }, words.rejectWave));
}

function recordInAudit(flag) {
  if (!flag.decision) return;
  audit.prepend(el('li', {}, `${formatDateTime(flag.decision.at)} · ${statusWord(flag.status)} · `, el('bdi', {}, flag.memberId), ` · ${flag.decision.by}`, flag.decision.note ? ` — ${flag.decision.note}` : ''));
  while (audit.children.length > 20) audit.lastElementChild.remove();
}

function applyDecided(flag) {
  const index = flags.findIndex((candidate) => candidate.id === flag.id);
  if (index >= 0) flags[index] = flag;
  recordInAudit(flag);
}

async function decide(decision) {
  const flag = flags[currentIndex];
  if (!flag || flag.status !== 'open') return;
  const text = note.value.trim();
  const reply = await api(`${flagPath(flag.id)}/decision`, { method: 'POST', key, body: { decision, ...(text ? { note: text } : {}) } });
  note.value = '';
  applyDecided(reply.flag);
  const next = flags.findIndex((candidate, index) => index > currentIndex && candidate.status === 'open');
  await show(next >= 0 ? next : currentIndex);
}

async function decideSelected(decision) {
  if (selected.size === 0) return;
  const text = note.value.trim();
  const reply = await api('/v1/review/decisions', { method: 'POST', key, body: { decisions: [...selected].map((flagId) => ({ flagId, decision, ...(text ? { note: text } : {}) })) } });
  note.value = '';
  selected.clear();
  for (const result of reply.results) if (result.flag) applyDecided(result.flag);
  await show(currentIndex);
}

async function toggleBlock() {
  const flag = currentEvidence?.flag;
  if (!flag) return;
  const blocked = currentEvidence.evidence.member?.blocked;
  if (blocked) await api(`/v1/review/blocks/${encodeURIComponent(flag.memberId)}?campaign=${encodeURIComponent(flag.campaignId)}`, { method: 'DELETE', key });
  else await api('/v1/review/blocks', { method: 'POST', key, body: { memberId: flag.memberId, campaignId: flag.campaignId, ...(note.value.trim() ? { note: note.value.trim() } : {}) } });
  await Promise.all([show(currentIndex), loadBlocks()]);
}

async function loadAudit() {
  const [approved, rejected] = await Promise.all(['approved', 'rejected'].map((status) => api(`/v1/review/flags?status=${status}&limit=100`, { key })));
  const decided = [...approved.flags, ...rejected.flags].sort((a, b) => Date.parse(a.decision.at) - Date.parse(b.decision.at)).slice(-20);
  audit.replaceChildren();
  for (const flag of decided) recordInAudit(flag);
}

async function loadBlocks() {
  const reply = await api('/v1/review/blocks', { key });
  blocks.replaceChildren(...(reply.blocks.length === 0 ? [el('li', {}, words.none)] : reply.blocks.map((block) => el('li', {},
    el('bdi', {}, block.memberId), ` · ${block.campaignId ?? words.any} · ${formatDateTime(block.at)} `,
    el('button', { type: 'button', className: 'quiet', onclick: async () => {
      await api(`/v1/review/blocks/${encodeURIComponent(block.memberId)}${block.campaignId ? `?campaign=${encodeURIComponent(block.campaignId)}` : ''}`, { method: 'DELETE', key });
      await Promise.all([loadBlocks(), loadQueue()]);
    } }, words.unblock)))));
}

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

document.addEventListener('keydown', (event) => {
  if (key === '' || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  const flag = flags[currentIndex];
  const actions = {
    j: () => show(Math.min(flags.length - 1, currentIndex + 1)),
    k: () => show(Math.max(0, currentIndex - 1)),
    a: () => decide('approve'),
    r: () => decide('reject'),
    x: () => { if (flag) toggle(flag.id); },
  };
  const action = actions[event.key];
  if (!action) return;
  event.preventDefault();
  void action();
});

document.getElementById('approve').addEventListener('click', () => void decide('approve'));
document.getElementById('reject').addEventListener('click', () => void decide('reject'));
document.getElementById('bulk-approve').addEventListener('click', () => void decideSelected('approve'));
document.getElementById('bulk-reject').addEventListener('click', () => void decideSelected('reject'));
blockButton.addEventListener('click', () => void toggleBlock());
filters.addEventListener('change', () => void loadQueue());

/** The campaigns this key may review, as filter choices. */
async function loadCampaigns() {
  const reply = await api('/v1/campaigns', { key });
  document.getElementById('campaign-filter').append(...reply.campaigns.map((campaign) => el('option', { value: campaign.id }, local(campaign.name))));
}

keyGate('nuqta.reviewerKey', (candidate) => api('/v1/review/flags?limit=1', { key: candidate }), (ready) => {
  key = ready;
  document.getElementById('console').hidden = false;
  void Promise.all([loadCampaigns(), loadQueue(), loadAudit(), loadBlocks()]);
});
