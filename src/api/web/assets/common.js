// What every page script shares: the page's data and words, formatting in the page's locale, DOM building, API calls.
export const page = JSON.parse(document.getElementById('page-data')?.textContent ?? '{}');
export const words = page.words ?? {};
const locale = page.lang === 'ar' ? 'ar-SA' : 'en-GB';
const numbers = new Intl.NumberFormat(locale);
const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';

export const formatNumber = (value) => numbers.format(value);
export const formatPercent = (share) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
export const formatDateTime = (iso, timeZone) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
export const formatTime = (date) => new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(date);
/** Sentences the API writes with Western digits, in the page's digits. */
export const localDigits = (text) => (page.lang === 'ar' ? String(text).replace(/[0-9]/g, (digit) => ARABIC_INDIC[Number(digit)]) : String(text));
export const fill = (template, values) => template.replace(/\{(\w+)\}/g, (slot, name) => (name in values ? String(values[name]) : slot));
/** "1,500 points" / "١٥٠٠ نقطة": Arabic nouns agree with the number (src/domain/counted.ts). */
export function points(n) {
  if (page.lang !== 'ar') return `${formatNumber(n)} ${Math.abs(n) === 1 ? 'point' : 'points'}`;
  const magnitude = Math.abs(n);
  if (magnitude === 1) return 'نقطة واحدة';
  if (magnitude === 2) return 'نقطتان';
  const lastTwo = magnitude % 100;
  return `${formatNumber(n)} ${lastTwo >= 3 && lastTwo <= 10 ? 'نقاط' : 'نقطة'}`;
}
/** The bilingual text of an API reply (`{ en, ar }`) in the page's language. */
export const local = (text) => (text ? text[page.lang] ?? text.en : '');

/** An element with attributes and children; text is always set as text, never parsed as HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'className') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child instanceof Node ? child : String(child));
  return node;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
  }
}

/** Calls the JSON API, with the session's key when there is one. */
export async function api(path, { method = 'GET', body, key } = {}) {
  const headers = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : {};
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

/**
 * The staff pages' key: typed once, kept in sessionStorage (this tab only),
 * checked with `probe`; `onReady(key)` runs once a key works.
 */
export function keyGate(storageName, probe, onReady) {
  const form = document.getElementById('key-form');
  const input = document.getElementById('api-key');
  const error = document.getElementById('key-error');
  const signedIn = document.querySelector('.signed-in');
  async function tryKey(key) {
    try {
      await probe(key);
    } catch (failure) {
      sessionStorage.removeItem(storageName);
      error.textContent = failure instanceof ApiError && (failure.status === 401 || failure.status === 403) ? words.keyRefused : words.failed;
      form.hidden = false;
      return;
    }
    sessionStorage.setItem(storageName, key);
    error.textContent = '';
    // The field is about to disappear: let the page's keyboard shortcuts have the keys.
    input.blur();
    form.hidden = true;
    signedIn.hidden = false;
    onReady(key);
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void tryKey(input.value.trim());
    input.value = '';
  });
  document.getElementById('key-forget').addEventListener('click', () => {
    sessionStorage.removeItem(storageName);
    location.reload();
  });
  const kept = sessionStorage.getItem(storageName);
  if (kept) void tryKey(kept);
}
