// Drives the VS Code workbench in chromium the way a reader does: keyboard shortcuts, the command
// palette, quick open, hovers. Every wait is on something visible in the page, bounded by a timeout.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { repoRoot } from '../../support/prerequisites';
import { chromiumBinary } from './code-server';

export const artifactsDir = join(repoRoot, 'test-artifacts', 'e2e');

export class Workbench {
  private shots = 0;

  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    private readonly run: string,
    /** Console errors of the page, for failure messages (open-vsx and telemetry ones are expected). */
    readonly consoleErrors: string[],
  ) {}

  /** Opens `url` in a fresh headless chromium and waits for the workbench. `run` names the screenshot folder. */
  static async open(url: string, run: string): Promise<Workbench> {
    const browser = await chromium.launch({
      executablePath: chromiumBinary,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    mkdirSync(join(artifactsDir, run), { recursive: true });
    return new Workbench(browser, page, run, errors);
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  /** Saves a numbered screenshot under test-artifacts/e2e/<run>/ and returns its path. */
  async screenshot(name: string): Promise<string> {
    this.shots += 1;
    const path = join(artifactsDir, this.run, `${String(this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** The status bar item whose text matches. */
  statusItem(text: RegExp): Locator {
    return this.page.locator('.statusbar-item', { hasText: text });
  }

  /** A notification toast whose message matches. */
  notification(text: RegExp): Locator {
    return this.page.locator('.notification-toast', { hasText: text });
  }

  /** Runs a command from the command palette by its title. */
  async runCommand(title: string): Promise<void> {
    await this.focusEditorArea();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Opens a file of the workspace through quick open, and waits for its editor tab. */
  async openFile(relativePath: string): Promise<void> {
    await this.focusEditorArea();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(relativePath);
    const name = relativePath.split('/').at(-1) as string;
    const directory = relativePath.split('/').slice(0, -1).join('/');
    const row = this.page
      .locator('.quick-input-list .monaco-list-row', { hasText: name })
      .filter({ hasText: directory })
      .first();
    await row.waitFor({ timeout: 60_000 });
    await row.click();
    await this.page.locator('.tab.active', { hasText: name }).waitFor();
    await this.page.locator('.monaco-editor .view-lines').first().waitFor();
  }

  /** Puts the cursor at a 1-based line and column with Go to Line. */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page
      .locator('.monaco-editor .line-numbers.active-line-number', { hasText: new RegExp(`^${line}$`) })
      .first()
      .waitFor();
  }

  /**
   * Shows the hover at the cursor (Show or Focus Hover) until it contains `expected`. A hover asked
   * before the server can answer stays empty and is not retried by VS Code, so this asks again, up to
   * `attempts` times, each waiting for the hover widget's content.
   */
  async hoverAtCursorUntil(expected: string, attempts = 20): Promise<Locator> {
    const hover = this.page.locator('.monaco-hover:not(.hidden)', { hasText: expected });
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+K');
      await this.page.keyboard.press('Control+I');
      try {
        await hover.first().waitFor({ timeout: 3_000 });
        return hover.first();
      } catch (error) {
        if (attempt >= attempts) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  private async focusEditorArea(): Promise<void> {
    await this.page.keyboard.press('Escape');
  }
}
