// My Key Worker service worker. Version: {{ version|safe }}
//
// It caches versioned static files and the offline page (nothing personal). For a person who
// chose "Keep my plan on this phone" it also keeps their plan pages, in a cache named with an
// opaque tag for that person (never a name, never anything personal in an address):
//   - every page the server sends says who it was for (X-MKW-Person: a keyed tag, or "none")
//     and whether they keep their plan (X-MKW-Keep: on / off);
//   - "none" (signed out, the session ended, signed out everywhere) deletes every kept copy;
//     another person deletes the first person's copy; "off" deletes this person's copy;
//   - "on" asks /offline/keep (with the ETag of the copy it has) and, when the version has
//     changed, downloads the listed pages into a new cache, then deletes the old one. A copy
//     that fails half-way (a full phone, a page refused) is deleted: a half copy is no copy;
//   - with no network, a navigation is answered from the kept copy of the person last seen
//     signed in, with its "Saved on this phone on …" line shown, or else the offline page.
const VERSION = {{ version|safe }};
const CACHE = "mkw-static-" + VERSION;
const PRECACHE = {{ precache|safe }};
const OFFLINE = "/offline";
const KEEP = "mkw-keep-"; // + person tag + "-" + plan version
const STATE = "mkw-state"; // who was last seen signed in on this phone (a tag)
const META = "/__mkw/kept"; // inside a kept cache: whose, which version, when, how big
const PERSON = "/__mkw/person";
// Used only when even the offline page is gone (storage cleared): never a blank screen.
const LAST_RESORT = {{ last_resort|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll([...PRECACHE, OFFLINE])).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      // Kept plans stay: they are checked against this version when used, and refreshed at
      // the next page the person opens online.
      .then((keys) => Promise.all(keys
        .filter((k) => k.startsWith("mkw-static-") && k !== CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function lastPerson() {
  try {
    const hit = await (await caches.open(STATE)).match(PERSON);
    return hit ? (await hit.json()).person || "" : "";
  } catch {
    return "";
  }
}

async function setPerson(person) {
  const cache = await caches.open(STATE);
  await cache.put(PERSON, new Response(JSON.stringify({ person }), {
    headers: { "Content-Type": "application/json" },
  }));
}

async function keptCaches() {
  return (await caches.keys()).filter((k) => k.startsWith(KEEP));
}

async function forget(except) {
  // Every kept copy, or every one but this person's.
  const names = await keptCaches();
  await Promise.all(names.filter((k) => !except || !k.startsWith(KEEP + except + "-"))
    .map((k) => caches.delete(k)));
}

// Reads go through caches.match with a cacheName, never caches.open: opening a cache that a
// refresh deleted a moment before creates it again, empty, and it would stay behind.
async function readMeta(name) {
  try {
    const hit = await caches.match(META, { cacheName: name });
    return hit ? await hit.json() : null;
  } catch {
    return null;
  }
}

// The complete kept copy of this person, newest first: [name, meta] or null.
async function keptCopy(person) {
  if (!person) return null;
  let best = null;
  for (const name of await keptCaches()) {
    if (!name.startsWith(KEEP + person + "-")) continue;
    const meta = await readMeta(name);
    if (meta && meta.person === person && (!best || meta.saved > best[1].saved)) best = [name, meta];
  }
  return best;
}

// What a page the person opened online tells us about who is signed in here.
async function seen(person, keep) {
  if (!person) return;
  if (person === "none") {
    await forget();
    await setPerson("");
    return;
  }
  const before = await lastPerson();
  if (before !== person) {
    await forget(person); // someone else on this phone: the first person's copy goes
    await setPerson(person);
  }
  if (keep === "off") await forget();
  else if (keep === "on") await refresh(person);
}

const ASSET = /\/static\/dist\/[^"'\s)]+/g;
let refreshing = null;

async function refresh(person) {
  if (refreshing) return refreshing;
  refreshing = keepPlan(person).catch(() => null).finally(() => { refreshing = null; });
  return refreshing;
}

async function keepPlan(person) {
  const have = await keptCopy(person);
  const headers = {};
  if (have && have[1].app === VERSION) headers["If-None-Match"] = `"${have[1].version}"`;
  const answer = await fetch("/offline/keep", { headers, credentials: "same-origin", cache: "no-store" });
  if (answer.status === 304 || !answer.ok) return; // the same, or try again at the next page
  const data = await answer.json();
  if (data.person !== person) { await forget(); return; }
  if (!data.keep || !data.pages || !data.pages.length) { await forget(); return; }
  const name = KEEP + person + "-" + data.version;
  if (have && have[0] === name && have[1].app === VERSION) return;
  await caches.delete(name);
  const cache = await caches.open(name);
  const fetched = ["/offline/keep"];
  try {
    const assets = new Set();
    let dyslexia = false;
    for (const page of data.pages) {
      fetched.push(page);
      const response = await fetch(page, {
        headers: { "X-MKW-Keep": "1" }, credentials: "same-origin", cache: "no-store",
      });
      if (!response.ok || response.headers.get("X-MKW-Person") !== person) throw new Error("refused");
      const text = await response.text();
      if (!text.includes("data-kept-banner")) throw new Error("not a kept page");
      for (const found of text.match(ASSET) || []) assets.add(found);
      dyslexia = dyslexia || text.includes("mkw-dyslexia");
      const kept = new Headers();
      for (const header of ["Content-Type", "Content-Security-Policy", "X-MKW-Person", "Referrer-Policy", "X-Content-Type-Options"]) {
        if (response.headers.get(header)) kept.set(header, response.headers.get(header));
      }
      // A new response, also kept under each shortcut's fixed address (/my-plan) that leads
      // to this page.
      await cache.put(page, new Response(text, { status: 200, headers: kept }));
      for (const [alias, target] of Object.entries(data.aliases || {})) {
        if (target === page) await cache.put(alias, new Response(text, { status: 200, headers: kept }));
      }
    }
    // The pictures, styles and fonts those pages use, kept with them (an update of the app
    // removes the old static cache; the kept pages still need what they were made with).
    for (const style of [...assets].filter((a) => a.endsWith(".css"))) {
      const hit = (await caches.match(style)) || (await fetch(style));
      for (const found of (await hit.clone().text()).match(ASSET) || []) {
        // The CSS names every font; the dyslexia font only matters to who chose it.
        if (dyslexia || !found.includes("/opendyslexic-")) assets.add(found);
      }
    }
    for (const asset of assets) {
      const hit = await caches.match(asset);
      if (!hit) fetched.push(asset);
      const response = hit || (await fetch(asset));
      if (!response.ok) throw new Error("asset");
      await cache.put(asset, response);
    }
    // What this copy cost over the network (headers and compressed bodies), for make bench.
    const sizes = {};
    for (const path of fetched) {
      const entries = self.performance ? performance.getEntriesByName(new URL(path, self.location.origin).href) : [];
      sizes[path] = entries.length ? entries[entries.length - 1].transferSize : 0;
    }
    const bytes = Object.values(sizes).reduce((sum, n) => sum + n, 0);
    await cache.put(META, new Response(JSON.stringify({
      person, version: data.version, app: VERSION, saved: Date.now(), pages: data.pages, bytes, sizes,
    }), { headers: { "Content-Type": "application/json" } }));
  } catch (error) {
    await caches.delete(name); // a full phone, a page refused: a half copy is no copy
    throw error;
  }
  // The new copy is complete: older copies of this person go.
  for (const old of await keptCaches()) {
    if (old !== name && old.startsWith(KEEP + person + "-")) await caches.delete(old);
  }
}

// A page from the kept copy of the person last seen signed in here, or null.
async function keptPage(url) {
  try {
    const person = await lastPerson();
    const copy = await keptCopy(person);
    if (!copy) return null;
    const [name, meta] = copy;
    if (meta.app !== VERSION) return null; // made by an older version of the app
    const hit = await caches.match(url.pathname + url.search, { cacheName: name, ignoreVary: true });
    if (!hit || hit.headers.get("X-MKW-Person") !== person) return null;
    if (!(hit.headers.get("Content-Type") || "").startsWith("text/html")) return null;
    const text = await hit.text();
    if (!text.includes("data-kept-banner hidden")) return null; // damaged: not ours
    return new Response(text.replace("data-kept-banner hidden", "data-kept-banner"), {
      status: 200, headers: hit.headers,
    });
  } catch {
    return null;
  }
}

// Never leave a page waiting on the phone's storage: after `ms`, answer without it.
function within(promise, ms) {
  return Promise.race([promise, new Promise((resolve) => { setTimeout(() => resolve(null), ms); })]);
}

async function offlinePage() {
  try {
    const hit = await within(caches.match(OFFLINE), 2000);
    if (hit) return hit;
  } catch {
    // storage unreadable: fall through
  }
  return new Response(LAST_RESORT, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname.startsWith("/static/dist/")) {
    // Versioned: the name changes when the content does, so any cached copy is right.
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy)).catch(() => {});
        }
        return response;
      })),
    );
    return;
  }
  if (request.mode === "navigate") {
    // Pages always come from the network; with none, the kept copy or the offline page.
    event.respondWith(fetch(request).then((response) => {
      event.waitUntil(seen(response.headers.get("X-MKW-Person"), response.headers.get("X-MKW-Keep"))
        .catch(() => {}));
      return response;
    }, async () => (await within(keptPage(url), 4000)) || offlinePage()));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "signed-out") {
    // Forget everything, then keep only what holds no personal data.
    event.waitUntil(
      caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))),
    );
  } else if (data.type === "keep-status") {
    // The settings page asks whether (and when) the plan was kept on this phone.
    event.waitUntil(lastPerson().then(keptCopy).then((copy) => {
      event.source.postMessage({ type: "keep-status", saved: copy ? copy[1].saved : null });
    }));
  }
});

// Web push: the payload only ever says something is waiting, never what.
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(
    self.registration.showNotification(data.title || "My Key Worker", {
      body: data.body || "",
      icon: {{ icon|safe }},
      data: { url: data.url || "/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url || "/"));
});
