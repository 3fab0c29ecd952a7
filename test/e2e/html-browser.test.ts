/// <reference lib="dom" />
/**
 * The HTML reports in a real browser (Debian's chromium through playwright-core): every example
 * and the hostile fixture load with no console error, no network request, no dialog and no
 * payload executed; a full-page screenshot of each lands in test-output/screenshots/.
 */
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {chromium, type Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderHtml} from '../../src/core/render/html.js'
import {renderIndexHtml} from '../../src/core/render/index-page.js'
import {ROOT} from '../helpers/shared.js'
import {catalog, EXAMPLES, example, injection} from '../core/render/setup.js'

const CHROMIUM = '/usr/bin/chromium'
const HAS_CHROMIUM = existsSync(CHROMIUM)
const OUT = join(ROOT, 'test-output')

const pages: [string, () => Promise<string>][] = [
  ...EXAMPLES.map((name): [string, () => Promise<string>] => [name, () => renderHtml(example(name), {catalog: catalog()})]),
  ['injection', () => renderHtml(injection(), {catalog: catalog()})],
  ['index', () => renderIndexHtml([...EXAMPLES.map((n) => example(n)), injection()], ['md', 'html'])],
]

describe.skipIf(!HAS_CHROMIUM)(
  `HTML reports in chromium${HAS_CHROMIUM ? '' : ' (skipped: /usr/bin/chromium is absent; apt-get install chromium)'}`,
  () => {
    let browser: Browser

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      })
      mkdirSync(join(OUT, 'screenshots'), {recursive: true})
      mkdirSync(join(OUT, 'html'), {recursive: true})
    })

    afterAll(async () => {
      await browser?.close()
    })

    it.each(pages)('%s: no console error, no request, no dialog, nothing executed; screenshot saved', async (name, render) => {
      const file = join(OUT, 'html', `${name}.html`)
      writeFileSync(file, await render())
      const url = pathToFileURL(file).href
      const page = await browser.newPage({viewport: {width: 1280, height: 900}})
      const requests: string[] = []
      const errors: string[] = []
      const dialogs: string[] = []
      await page.route('**/*', async (route) => {
        if (route.request().url() === url) return route.continue()
        requests.push(route.request().url())
        return route.abort()
      })
      page.on('request', (r) => {
        if (r.url() !== url) requests.push(r.url())
      })
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text())
      })
      page.on('pageerror', (e) => errors.push(String(e)))
      page.on('dialog', async (d) => {
        dialogs.push(d.message())
        await d.dismiss()
      })
      await page.goto(url, {waitUntil: 'load'})
      await page.waitForTimeout(150)

      const dom = await page.evaluate(() => {
        const all = [...document.querySelectorAll('*')]
        return {
          scripts: document.scripts.length,
          dangerous: all
            .filter((el) => /^(img|iframe|object|embed|link|base|form|input|image|use|foreignobject)$/i.test(el.tagName))
            .map((el) => el.tagName),
          handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}.${a.name}`)),
          hrefs: [...document.querySelectorAll('[href]')].map((el) => el.getAttribute('href') ?? ''),
          styles: document.querySelectorAll('style').length,
          text: document.body.innerText,
          svgs: document.querySelectorAll('svg').length,
          overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
        }
      })
      await page.screenshot({path: join(OUT, 'screenshots', `${name}.png`), fullPage: true})
      await page.close()

      expect(errors).toEqual([])
      expect(requests).toEqual([])
      expect(dialogs).toEqual([])
      expect(dom.scripts).toBe(0)
      expect(dom.dangerous).toEqual([])
      expect(dom.handlers).toEqual([])
      expect(dom.styles).toBe(1)
      expect(dom.overflow).toBe(false)
      for (const href of dom.hrefs) expect(href).toMatch(/^[a-z0-9-]+\/report\.(md|html)$/)
      if (name === 'index') expect(dom.hrefs.length).toBeGreaterThan(0)
      else expect(dom.svgs).toBeGreaterThanOrEqual(1)
      if (name === 'injection') {
        // The payloads are on the page as text, where a reader can see them.
        expect(dom.text).toContain("<script>alert('peer')</script>")
        expect(dom.text).toContain('<img src=x onerror=alert(1)>@example.com')
        expect(dom.text).toContain('[x](javascript:alert(1)) # heading')
      }
    })
  },
)
