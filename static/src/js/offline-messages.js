import { csrfToken, isSignedOutPage, wordsFromPage } from "./page.js";

// Messages written with no connection are kept on the phone (IndexedDB), shown as "waiting
// to send", and sent when the connection is back: on the `online` event and on every page
// load (Background Sync exists only in Chromium). The client key makes the server store each
// one once, however often it is sent. Without JavaScript the plain form works as it is.
//
// A queued message is deleted only when the server answers "saved" (201 with {saved: true}).
// Any other answer keeps it: a redirect to the sign-in page (the session ended), 401, 403, a
// CSRF failure or a server error. Each message carries a tag for the person who wrote it
// (<meta name="mkw-owner">, a keyed hash): it is sent only when that same person is signed
// in, never as someone else on a shared phone. If another person signs in on this phone, the
// waiting messages of the first person are deleted unsent; signing out on purpose deletes them
// too (the sign-in page says so), so nothing of one person is left for the next.
const QUEUE_DB = "mkw-outbox";

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

function tell(text) {
  const box = document.querySelector("[data-queue-status]");
  if (!box || !text) return;
  box.querySelector("p").textContent = text;
  box.hidden = false;
}

async function sendQueued(item) {
  // The token of the page open now: the one kept with the message belongs to a session
  // that may have ended since.
  const fields = { csrf_token: csrfToken() || item.csrf, client_key: item.key, body: item.body };
  if (item.urgent) fields.urgent = "y";
  const body = new URLSearchParams(fields);
  return fetch(item.url, {
    method: "POST",
    body,
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
  let flushing = false;
  return async function flushQueue() {
    if (!("indexedDB" in window) || !navigator.onLine || flushing) return;
    flushing = true;
    try {
      const items = (await queueOp("readonly", (store) => store.getAll())) || [];
      if (!items.length) return;
      if (!owner) {
        // Signed out: wait for the person to sign in (the sign-in page says a message waits).
        const note = document.querySelector("[data-queue-waiting]");
        if (note) note.hidden = false;
        return;
      }
      let sent = 0;
      let needsSignIn = false;
      let later = false;
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
          sent += 1;
        } else if (response.type === "opaqueredirect" || [401, 403].includes(response.status)) {
          needsSignIn = true; // the session ended: kept until this person signs in again
        } else {
          later = true; // a CSRF failure (400), a server error: kept, tried again later
        }
      }
      if (needsSignIn) {
        tell(labels.signIn);
        // Also beside the message itself, where the person is looking.
        document.querySelectorAll(".mkw-message--waiting .mkw-message__who")
          .forEach((who) => { who.textContent = labels.signIn; });
      }
      else if (later) tell(labels.later);
      if (sent && document.querySelector("[data-message-form]")) window.location.reload();
      else if (sent) tell(labels.sent);
    } finally {
      flushing = false;
    }
  };
}

// The message form: with no connection, a message is kept on the phone instead of posted.
function keepMessagesWrittenOffline(owner) {
  const messageForm = document.querySelector("[data-message-form]");
  if (!messageForm || !("indexedDB" in window)) return;
  const thread = document.querySelector(".mkw-messages");
  const showWaiting = (item) => {
    const li = document.createElement("li");
    li.className = "mkw-message mkw-message--mine mkw-message--waiting";
    const who = document.createElement("p");
    who.className = "mkw-message__who";
    who.textContent = messageForm.dataset.waiting;
    const text = document.createElement("p");
    text.className = "mkw-message__body";
    text.textContent = item.body;
    li.append(who, text);
    thread.append(li);
  };
  queueOp("readonly", (store) => store.getAll()).then((items) =>
    (items || []).filter((item) => item.owner === owner).forEach(showWaiting));

  messageForm.addEventListener("submit", async (event) => {
    const field = messageForm.querySelector("textarea");
    if (navigator.onLine || !field.value.trim() || !owner) return; // online: the ordinary form post
    event.preventDefault();
    const keyField = messageForm.querySelector("input[name=client_key]");
    const item = {
      key: keyField.value,
      body: field.value,
      urgent: Boolean(messageForm.querySelector("input[name=urgent]")?.checked),
      url: messageForm.action || window.location.pathname,
      csrf: messageForm.querySelector("input[name=csrf_token]").value,
      owner,
    };
    await queueOp("readwrite", (store) => store.put(item));
    showWaiting(item);
    field.value = "";
    keyField.value = crypto.randomUUID ? crypto.randomUUID().replace(/-/g, "") : String(Date.now());
  });
}

export function startOfflineMessages() {
  const owner = document.querySelector('meta[name="mkw-owner"]')?.content || "";
  keepMessagesWrittenOffline(owner);
  if (isSignedOutPage() && "indexedDB" in window) {
    indexedDB.deleteDatabase(QUEUE_DB); // signed out on purpose: nothing of theirs stays on the phone
  } else {
    const flushQueue = makeFlusher(owner, wordsFromPage("mkw-queue-labels"));
    window.addEventListener("online", flushQueue);
    flushQueue();
  }
}
