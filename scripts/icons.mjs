// Renders public/icon.svg to the PNG sizes browsers ask for (install prompts, splash screens):
// `node scripts/icons.mjs` with Debian's Chromium. The PNGs are committed; run again after
// changing the SVG.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync(new URL('../public/icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
for (const { size, maskable } of [{ size: 192 }, { size: 512 }, { size: 512, maskable: true }, { size: 180 }]) {
  // A maskable icon keeps its content inside the central 80% "safe zone" on a full-bleed background.
  const inner = maskable ? size * 0.7 : size;
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<body style="margin:0;background:${maskable ? '#1d2433' : 'transparent'};display:grid;place-items:center;height:${size}px">` +
      `<div style="width:${inner}px;height:${inner}px">${svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</div></body>`,
  );
  const name = maskable ? `icon-maskable-${size}.png` : size === 180 ? 'apple-touch-icon.png' : `icon-${size}.png`;
  await page.screenshot({ path: new URL(`../public/${name}`, import.meta.url).pathname, omitBackground: !maskable });
}
await browser.close();
