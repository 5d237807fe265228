import { csrfToken, isSignedOutPage, wordsFromPage } from "./page.js";

// The outbox: messages and "How am I today?" check-ins made with no connection are kept on the
// phone (IndexedDB), shown as waiting, and sent when the connection is back: on the `online`
// event and on every page load (Background Sync exists only in Chromium). The client key makes
// the server store each one once, however often it is sent. Without JavaScript the plain forms
// work as they are. The forms that put items here: offline-messages.js, offline-check-ins.js.
//
// A queued item is deleted only when the server answers "saved" (201 with {saved: true}).
// Any other answer keeps it: a redirect to the sign-in page (the session ended), 401, 403, a
// CSRF failure or a server error. Each item carries a tag for the person who wrote it
// (<meta name="mkw-owner">, a keyed hash): it is sent only when that same person is signed
// in, never as someone else on a shared phone. If another person signs in on this phone, the
// waiting items of the first person are deleted unsent; signing out on purpose deletes them
// too (the sign-in page says so), so nothing of one person is left for the next.
//
// One store holds both kinds (its name is from when it held messages only): an item's `kind`
// is "check-in", or missing for a message.
const QUEUE_DB = "mkw-outbox";
export const CHECK_IN = "check-in";
export const MESSAGE = "message";
// The status words for each kind (ids in #mkw-queue-labels): [signed out, saved, try again later].
const KIND_LABELS = {
  [MESSAGE]: ["signIn", "sent", "later"],
  [CHECK_IN]: ["checkInSignIn", "checkInSaved", "checkInLater"],
};
// Words to show once the page has loaded again after a reload that showed items as saved.
const TOLD_AFTER_RELOAD = "mkw-queue-told";

export function kindOf(item) {
  return item.kind || MESSAGE;
}

// The tag of the person signed in ("" when nobody is).
export function ownerOfPage() {
  return document.querySelector('meta[name="mkw-owner"]')?.content || "";
}

export function hasOutbox() {
  return "indexedDB" in window;
}

function openQueue() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(QUEUE_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore("messages", { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function queueOp(mode, work) {
  const db = await openQueue();
  return new Promise((resolve, reject) => {
    const tx = db.transaction("messages", mode);
    const result = work(tx.objectStore("messages"));
    tx.oncomplete = () => resolve(result.result);
    tx.onerror = () => reject(tx.error);
  });
}

// Keep one item on the phone until it is saved.
export function keepItem(item) {
  return queueOp("readwrite", (store) => store.put(item));
}

// What this person has waiting, of one kind.
export async function waitingItems(owner, kind) {
  const items = (await queueOp("readonly", (store) => store.getAll())) || [];
  return items.filter((item) => item.owner === owner && kindOf(item) === kind);
}

export function newClientKey() {
  return crypto.randomUUID ? crypto.randomUUID().replace(/-/g, "") : String(Date.now());
}

function tell(text) {
  const box = document.querySelector("[data-queue-status]");
  if (!box || !text) return;
  box.querySelector("p").textContent = text;
  box.hidden = false;
}

async function sendQueued(item) {
  // The token of the page open now: the one kept with the item belongs to a session that
  // may have ended since.
  const fields = { csrf_token: csrfToken() || item.csrf, client_key: item.key };
  if (kindOf(item) === CHECK_IN) {
    fields.feeling = item.feeling;
    fields.made_at = String(item.madeAt);
  } else {
    fields.body = item.body;
    if (item.urgent) fields.urgent = "y";
  }
  return fetch(item.url, {
    method: "POST",
    body: new URLSearchParams(fields),
    credentials: "same-origin",
    redirect: "manual", // a redirect to the sign-in page is not a sent message
    headers: { "X-MKW-Queued": "1" },
  });
}

async function saved(response) {
  if (response.status !== 201) return false;
  try {
    return (await response.json()).saved === true;
  } catch {
    return false;
  }
}

function makeFlusher(owner, labels) {
  const wordsFor = (kinds, which) => [...kinds].map((kind) => labels[KIND_LABELS[kind][which]]).join(" ");
  let flushing = false;
  return async function flushQueue() {
    if (!hasOutbox() || !navigator.onLine || flushing) return;
    flushing = true;
    try {
      const items = (await queueOp("readonly", (store) => store.getAll())) || [];
      if (!items.length) return;
      if (!owner) {
        // Signed out: wait for the person to sign in (the sign-in page says something waits).
        const note = document.querySelector("[data-queue-waiting]");
        if (note) note.hidden = false;
        return;
      }
      const sent = new Set();
      const needsSignIn = new Set();
      const later = new Set();
      for (const item of items) {
        if (item.owner !== owner) {
          // Written by someone else on this phone: never sent as this person.
          await queueOp("readwrite", (store) => store.delete(item.key));
          continue;
        }
        let response;
        try {
          response = await sendQueued(item);
        } catch {
          return; // still offline: keep it for the next try
        }
        if (await saved(response)) {
          await queueOp("readwrite", (store) => store.delete(item.key));
          sent.add(kindOf(item));
        } else if (response.type === "opaqueredirect" || [401, 403].includes(response.status)) {
          needsSignIn.add(kindOf(item)); // the session ended: kept until this person signs in again
        } else {
          later.add(kindOf(item)); // a CSRF failure (400), a server error: kept, tried again later
        }
      }
      if (needsSignIn.size) {
        tell(wordsFor(needsSignIn, 0));
        // Also beside what is waiting, where the person is looking.
        document.querySelectorAll(".mkw-message--waiting .mkw-message__who")
          .forEach((who) => { who.textContent = labels.signIn; });
        document.querySelectorAll(".mkw-check-in--waiting .mkw-entry__status")
          .forEach((status) => { status.textContent = labels.checkInSignIn; });
      }
      else if (later.size) tell(wordsFor(later, 2));
      if (!sent.size) return;
      // On the page that lists them, show them as saved: the page again, from the server.
      const listed = (sent.has(MESSAGE) && document.querySelector("[data-message-form]"))
        || (sent.has(CHECK_IN) && document.querySelector("[data-check-in-form]"));
      if (listed) {
        try { sessionStorage.setItem(TOLD_AFTER_RELOAD, wordsFor(sent, 1)); } catch { /* private mode */ }
        window.location.reload();
      }
      else tell(wordsFor(sent, 1));
    } finally {
      flushing = false;
    }
  };
}

function tellAfterReload() {
  try {
    const told = sessionStorage.getItem(TOLD_AFTER_RELOAD);
    if (told) {
      sessionStorage.removeItem(TOLD_AFTER_RELOAD);
      tell(told);
    }
  } catch { /* private mode */ }
}

export function startOutbox() {
  tellAfterReload();
  if (!hasOutbox()) return;
  if (isSignedOutPage()) {
    indexedDB.deleteDatabase(QUEUE_DB); // signed out on purpose: nothing of theirs stays on the phone
  } else {
    const flushQueue = makeFlusher(ownerOfPage(), wordsFromPage("mkw-queue-labels"));
    window.addEventListener("online", flushQueue);
    flushQueue();
  }
}
