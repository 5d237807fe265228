// Lighthouse (mobile, default simulated throttling) on signed-in pages, in Debian's Chromium.
// Reads {"pages": [{"name", "url", "cookie"}]} on stdin; writes one JSON object to stdout:
// name -> {score, fcp_ms, lcp_ms, si_ms, tbt_ms, cls, lcp_element, opportunities}.
// The session cookie goes as a header on every request, so Lighthouse's storage reset (it
// clears cookies before each run) cannot sign the page out.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
  ],
});

const ms = (audit) => Math.round(audit.numericValue);
const results = {};
try {
  for (const page of input.pages) {
    let lhr;
    // Headless Chromium now and then loses the trace (NO_NAVSTART): that run says nothing
    // about the page, so it is run again, up to three times.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      ({ lhr } = await lighthouse(page.url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance"],
        extraHeaders: page.cookie ? { Cookie: page.cookie } : {},
      }));
      if (!lhr.runtimeError) break;
    }
    const a = lhr.audits;
    if (lhr.runtimeError || lhr.finalDisplayedUrl !== page.url) {
      const why = lhr.runtimeError?.message ?? `ended on ${lhr.finalDisplayedUrl}`;
      results[page.name] = { error: why };
      continue;
    }
    const lcpItem = a["largest-contentful-paint-element"]?.details?.items?.[0];
    const lcpNode = lcpItem?.items?.[0]?.node ?? lcpItem?.node;
    results[page.name] = {
      score: Math.round(lhr.categories.performance.score * 100),
      fcp_ms: ms(a["first-contentful-paint"]),
      lcp_ms: ms(a["largest-contentful-paint"]),
      si_ms: ms(a["speed-index"]),
      tbt_ms: ms(a["total-blocking-time"]),
      cls: Math.round(a["cumulative-layout-shift"].numericValue * 1000) / 1000,
      lcp_element: lcpNode?.snippet ?? "",
      shifted: (a["layout-shifts"]?.details?.items ?? [])
        .map((x) => `${x.node?.snippet ?? "?"} ${Math.round(x.score * 1000) / 1000}`),
      opportunities: Object.values(a)
        .filter((x) => x.details?.type === "opportunity" && (x.details.overallSavingsMs ?? 0) > 0)
        .map((x) => `${x.id}: ${Math.round(x.details.overallSavingsMs)} ms`),
    };
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results, null, 1) + "\n");
