/**
 * The PDF: the report's HTML printed by headless Chromium (Debian's `chromium` driven by
 * `playwright-core`; nothing is downloaded), A4, page numbers `— 1 —` at the bottom as GB/T 9704
 * has them. One browser per process, started on first use and reused by later reports.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { Report } from '../model.ts';
import { reportHtml } from './html.ts';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);

export class NoBrowserError extends Error {
  constructor() {
    super('生成 PDF 需要 Chromium：请安装 Debian 的 chromium 与 fonts-noto-cjk（apt-get install chromium fonts-noto-cjk），或用 CHROMIUM_PATH 指明其位置 (Chromium not found)');
    this.name = 'NoBrowserError';
  }
}

let browser: Promise<Browser> | undefined;

function launch(): Promise<Browser> {
  const path = CANDIDATES.find((p) => existsSync(p));
  if (!path) throw new NoBrowserError();
  browser ??= chromium.launch({ executablePath: path, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  browser.catch(() => (browser = undefined));
  return browser;
}

/** The report: its page numbers are the page's own (GB/T 9704: odd pages right, even left; REPORT_CSS). */
export function reportPdf(r: Report): Promise<Buffer> {
  return htmlPdf(reportHtml(r), { footer: false });
}

/**
 * A standalone HTML document printed on A4 (reports and the 公示 list alike), with `— 1 —` centred
 * at the foot unless the page numbers itself (`footer: false`).
 */
export async function htmlPdf(html: string, opts: { footer?: boolean } = {}): Promise<Buffer> {
  const footer = opts.footer ?? true;
  const b = await launch();
  const page = await b.newPage();
  try {
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: footer,
      ...(footer
        ? { headerTemplate: '<span></span>', footerTemplate: '<div style="width:100%;text-align:center;font-size:14pt;font-family:\'AR PL UMing CN\',\'Noto Serif CJK SC\',serif;">— <span class="pageNumber"></span> —</div>' }
        : {}),
    });
  } finally {
    await page.close();
  }
}

/**
 * An SVG chart as a PNG at twice its size (sharp in print), for documents that cannot hold SVG
 * (Word). Needs the same Chromium as the PDF.
 */
export async function svgPng(svg: string, width: number, height: number): Promise<Buffer> {
  const b = await launch();
  const page = await b.newPage({ viewport: { width, height }, deviceScaleFactor: 2 });
  try {
    await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`, { waitUntil: 'load' });
    return await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width, height } });
  } finally {
    await page.close();
  }
}

/** Closes the browser (the CLI, before it exits). */
export async function closeBrowser(): Promise<void> {
  const b = browser;
  browser = undefined;
  if (b) await (await b).close();
}
