// Drives the VS Code workbench in chromium the way a reader does: keyboard shortcuts, the command
// palette, quick open, hovers. Every wait is on something visible in the page, bounded by a timeout.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
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
    // Screenshots of an earlier run would mix with this run's numbering.
    rmSync(join(artifactsDir, run), { recursive: true, force: true });
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
    const input = this.page.locator('.quick-input-widget input');
    // F1 can be swallowed while an editor is still opening: ask again, a bounded number of times.
    for (let attempt = 1; ; attempt++) {
      await this.focusEditorArea();
      await this.page.keyboard.press('F1');
      try {
        await this.page.waitForFunction(
          "document.querySelector('.quick-input-widget:not([style*=\"display: none\"]) input')?.value === '>'",
          undefined,
          { timeout: 5_000 },
        );
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /**
   * The titles the command palette offers for `query`, once `expected` is among them (so that the list
   * has been filtered), then closes the palette.
   */
  async commandPaletteTitles(query: string, expected: string): Promise<string[]> {
    await this.focusEditorArea();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${query}`);
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: expected }).first().waitFor({ timeout: 30_000 });
    const titles = await rows.allInnerTexts();
    await this.focusEditorArea();
    return titles;
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

  /** Opens a file anywhere on disk: quick open takes an absolute path too. */
  async openAbsoluteFile(path: string): Promise<void> {
    await this.focusEditorArea();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(path);
    const name = path.split('/').at(-1) as string;
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tab.active', { hasText: name }).waitFor();
  }

  /** Puts the cursor at a 1-based line and column with Go to Line. */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page
      .locator('.monaco-editor .line-numbers.active-line-number', { hasText: new RegExp(`^${line}$`) })
      .first()
      .waitFor();
  }

  /**
   * Points the mouse at `token` in the visible editor line that contains `lineText` until the hover
   * contains `expected`. A hover asked before the server can answer stays empty and is not retried by
   * VS Code, so this moves away and back, up to `attempts` times, each waiting for the hover's content.
   */
  async hoverUntil(lineText: string, token: string, expected: string, attempts = 20): Promise<Locator> {
    const target = this.page
      .locator('.view-line', { hasText: lineText })
      .first()
      .locator('span > span', { hasText: new RegExp(`^${token}$`) })
      .first();
    const hover = this.page.locator('.monaco-hover', { hasText: expected }).first();
    for (let attempt = 1; ; attempt++) {
      await target.hover();
      try {
        await hover.waitFor({ timeout: 5_000 });
        return hover;
      } catch (error) {
        if (attempt >= attempts) throw error;
        await this.page.mouse.move(0, 0);
      }
    }
  }

  /** Picks the quick pick row whose label matches, typing it first to filter the list. */
  async pickQuickItem(label: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(label);
    await this.page
      .locator('.quick-input-list .monaco-list-row', { hasText: label })
      .first()
      .waitFor({ timeout: 60_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The text of the visible editor lines, inlay hints included (they are rendered as injected text). */
  async visibleEditorText(): Promise<string> {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
  }

  /** The list index of the Kernel Trace view's row marked as the current step, once there is one. */
  async currentTraceRow(): Promise<string> {
    return this.currentTraceRowOtherThan('none');
  }

  /** Waits until the row marked as the current step is another one than `previous` (a list index). */
  async currentTraceRowOtherThan(previous: string): Promise<string> {
    const row = this.page
      .locator(`.monaco-list-row:not([data-index="${previous}"]):has(.codicon-debug-stackframe)`)
      .first();
    await row.waitFor({ timeout: 60_000 });
    return (await row.getAttribute('data-index')) ?? '';
  }

  /** The body of the webview panel whose tab title matches (two nested frames deep). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /** Closes whatever quick input or hover is open, so that the next shortcut reaches the workbench. */
  private async focusEditorArea(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }
}
