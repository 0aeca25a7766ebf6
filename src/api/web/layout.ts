/** The frame every page shares: language and direction, the bundled font and styles, a skip link, the language switch. */
import { html, jsonBlock, type Html } from './html.js';
import { dirOf, type Lang } from './locale.js';
import { STRINGS } from './strings.js';

/** A page and the status it is answered with. */
export interface RenderedPage {
  status: number;
  body: string;
}

export interface PageParts {
  lang: Lang;
  title: string;
  /** The page's path without a query, for the language switch. */
  path: string;
  body: Html;
  /** Scripts of /assets/ the page runs (ES modules). */
  scripts?: readonly string[];
  styles?: readonly string[];
  /** What the page's script reads: `<script type="application/json" id="page-data">`. */
  data?: unknown;
}

export function layout({ lang, title, path, body, scripts = [], styles = [], data }: PageParts): string {
  const words = STRINGS[lang];
  const other: Lang = lang === 'ar' ? 'en' : 'ar';
  const page = html`<!doctype html>
<html lang="${lang}" dir="${dirOf(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · ${words.brand}</title>
<link rel="preload" href="/assets/noto-sans-arabic-arabic-400-normal.woff2" as="font" type="font/woff2" crossorigin>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/nuqta.css">
${styles.map((style) => html`<link rel="stylesheet" href="/assets/${style}">`)}
</head>
<body>
<a class="skip" href="#main">${words.skip}</a>
<header class="bar">
  <span class="brand" aria-hidden="true">${words.brand}</span>
  <a class="switch" href="${path}?lang=${other}" lang="${other}" hreflang="${other}">${words.otherLanguage}</a>
</header>
<main id="main">
${body}
</main>
${data === undefined ? '' : html`<script type="application/json" id="page-data">${jsonBlock({ lang, words, ...(data as object) })}</script>`}
${scripts.map((script) => html`<script type="module" src="/assets/${script}"></script>`)}
</body>
</html>`;
  return page.value;
}

/** A page that only says something: a link that does not work, a campaign that is not there, a private board. */
export function noticePage(lang: Lang, path: string, title: string, text: string): string {
  return layout({ lang, title, path, body: html`<section class="card notice" role="alert"><h1>${title}</h1><p>${text}</p></section>` });
}
