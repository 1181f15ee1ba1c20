// The GraphiQL page in headless Chromium, as a new user meets it: the page
// loads, asks for a token first, the docs list `Query` once a token is
// entered, a query runs and shows the demo's data; the token survives a
// reload; a token written in the Headers tab instead fetches the schema
// too. Fails on any request to a non-loopback address, any failed request
// or error status, any console error (a refused Content-Security-Policy
// among them) and any uncaught exception.
//
// Run by scripts/graphiql-check.sh (inside a network namespace with only
// loopback), with:
//   ACCORD_BASE    http://127.0.0.1:<port> of a server running `serve --demo`
//   ACCORD_TOKEN   a Secretariat token that server accepts
//   CHROMIUM       the browser (default /usr/bin/chromium)
//   SCREENSHOT     where to write screenshots (default /tmp/accord-graphiql.png)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const base = required('ACCORD_BASE');
const token = required('ACCORD_TOKEN');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshot = process.env.SCREENSHOT || '/tmp/accord-graphiql.png';
const TIMEOUT_MS = 20_000;
const QUERY = `query Drafts {
  drafts(first: 10) {
    totalCount
    nodes { id state title(lang: EN) }
  }
}
`;

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const problems = [];
const problem = (text) => {
  problems.push(text);
  console.error(`  problem: ${text}`);
};

const profile = mkdtempSync(join(tmpdir(), 'accord-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1400, height: 900 },
});

try {
  context.setDefaultTimeout(TIMEOUT_MS);
  const requested = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    requested.push(`${request.method()} ${url.pathname}`);
    if (url.protocol === 'data:') return;
    if (!['http:', 'https:'].includes(url.protocol) || !LOOPBACK.has(url.hostname)) {
      problem(`the page requested ${request.url()}`);
    }
  });
  context.on('requestfailed', (request) => {
    problem(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400) {
      problem(`${response.status()} for ${response.request().method()} ${response.url()}`);
    }
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') problem(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problem(`uncaught: ${error.message}`));

  const step = (text) => console.log(`- ${text}`);

  step('the page loads and asks for a token first');
  await page.goto(`${base}/graphql`);
  await page.locator('.graphiql-container').waitFor();
  await page.locator('#accord-token-input').waitFor();
  await expectFocus(page, 'accord-token-input');
  await expectText(page.locator('#accord-token-status'), /Paste a bearer token/);

  step('a token is entered');
  await page.locator('#accord-token-input').fill(token);
  await page.locator('#accord-token-use').click();
  await expectText(page.locator('#accord-token-status'), /Sending the token of/);

  step('the docs list Query');
  await expectDocsListQuery(page);

  step('a query runs and shows data');
  await setEditor(page, '.graphiql-query-editor', QUERY);
  await page.locator('.graphiql-execute-button').click();
  const result = await waitForResult(page, /Action Plan/);
  const data = JSON.parse(result).data;
  if (!(data?.drafts?.totalCount > 0)) problem(`unexpected result: ${result}`);
  await page.screenshot({ path: screenshot });
  console.log(`  screenshot: ${screenshot}`);

  step('after a reload the token is kept and the schema loads');
  await page.reload();
  await page.locator('.graphiql-container').waitFor();
  const kept = await page.locator('#accord-token-input').inputValue();
  if (kept !== token) problem('the token field is empty after a reload');
  await expectText(page.locator('#accord-token-status'), /Sending the token of/);
  await expectDocsListQuery(page);

  step('without the field, a token in the Headers tab fetches the schema, and is kept across reloads');
  await page.locator('#accord-token-forget').click();
  await expectText(page.locator('#accord-token-status'), /Paste a bearer token/);
  await page.locator('.graphiql-editor-tools button', { hasText: /^Headers$/ }).click();
  await setEditor(
    page,
    'section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden)',
    JSON.stringify({ Authorization: `Bearer ${token}` }),
  );
  await expectDocsListQuery(page);
  await page.reload();
  await page.locator('.graphiql-container').waitFor();
  const field = await page.locator('#accord-token-input').inputValue();
  if (field !== '') problem('the forgotten token came back');
  await expectDocsListQuery(page);
  await setEditor(page, '.graphiql-query-editor', QUERY);
  await page.locator('.graphiql-execute-button').click();
  await waitForResult(page, /Action Plan/);
  const screenshotHeaders = screenshot.replace(/(\.png)?$/, '-headers.png');
  await page.screenshot({ path: screenshotHeaders });
  console.log(`  screenshot: ${screenshotHeaders}`);

  console.log(`requests made by the page:\n  ${[...new Set(requested)].join('\n  ')}`);
} catch (error) {
  problem(`${error.message}`);
  try {
    const page = context.pages()[0];
    await page?.screenshot({ path: screenshot.replace(/(\.png)?$/, '-failed.png') });
  } catch {
    // No screenshot of a failure: the error above says enough.
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`GraphiQL check failed (${problems.length} problems)`);
  process.exit(1);
}
console.log('GraphiQL check passed');

async function expectFocus(page, id) {
  await page.waitForFunction((id) => document.activeElement?.id === id, id, { timeout: TIMEOUT_MS });
}

async function expectText(locator, pattern) {
  const deadline = Date.now() + TIMEOUT_MS;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.textContent()) ?? '';
    if (pattern.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected ${pattern}, found ${JSON.stringify(text)}`);
}

// Opens the documentation explorer if it is closed and waits for the root
// types, `Query` among them.
async function expectDocsListQuery(page) {
  const explorer = page.locator('.graphiql-doc-explorer');
  if (!(await explorer.isVisible())) {
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
  }
  await page.locator('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).waitFor();
}

// Sets the text of the CodeMirror editor inside `selector`, as typing would.
async function setEditor(page, selector, text) {
  await page.locator(`${selector} .CodeMirror`).first().waitFor();
  await page.evaluate(
    ([selector, text]) => document.querySelector(`${selector} .CodeMirror`).CodeMirror.setValue(text),
    [selector, text],
  );
}

// Waits until the response pane holds text matching `pattern`, and returns it.
async function waitForResult(page, pattern) {
  const handle = await page.waitForFunction(
    (source) => {
      const text = document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue() ?? '';
      return new RegExp(source).test(text) ? text : null;
    },
    pattern.source,
    { timeout: TIMEOUT_MS },
  );
  return handle.jsonValue();
}
