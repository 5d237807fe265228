// My Key Worker: small progressive enhancements. Every page works without this file.

// Move focus to the error summary so screen reader users hear what went wrong first.
const summary = document.querySelector(".nhsuk-error-summary");
if (summary) summary.focus();

// Service worker: caches only versioned static files and the offline page.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(() => {
    if (document.querySelector("[data-signed-out]") && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
    }
  }).catch(() => {});
}
if (document.querySelector("[data-signed-out]") && "caches" in window) {
  caches.keys().then((keys) => keys.forEach((key) => caches.delete(key)));
}

// Read aloud: a button beside each chunk, with pause and stop. Only when the person has it on.
const root = document.documentElement;
const speech = window.speechSynthesis;
if (speech && root.classList.contains("mkw-read-aloud-on")) {
  const labels = JSON.parse(document.getElementById("mkw-read-aloud-labels")?.textContent || "{}");
  let speaking = null;

  const reset = () => {
    if (speaking) speaking.controls.replaceChildren(makeButton(labels.read, () => start(speaking.chunk, speaking.controls)));
    speaking = null;
  };

  function makeButton(text, onClick) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    button.addEventListener("click", onClick);
    return button;
  }

  function start(chunk, controls) {
    speech.cancel();
    reset();
    const utterance = new SpeechSynthesisUtterance(chunk.dataset.text);
    utterance.lang = root.lang;
    utterance.rate = 0.9;
    utterance.onend = () => { if (speaking && speaking.chunk === chunk) reset(); };
    speaking = { chunk, controls };
    const pause = makeButton(labels.pause, () => {
      if (speech.paused) { speech.resume(); pause.textContent = labels.pause; }
      else { speech.pause(); pause.textContent = labels.resume; }
    });
    const stop = makeButton(labels.stop, () => { speech.cancel(); reset(); });
    controls.replaceChildren(pause, stop);
    pause.focus();
    speech.speak(utterance);
  }

  document.querySelectorAll("[data-read-aloud]").forEach((chunk) => {
    chunk.dataset.text = chunk.innerText;
    const controls = document.createElement("div");
    controls.className = "mkw-read-aloud";
    controls.append(makeButton(labels.read, () => start(chunk, controls)));
    chunk.append(controls);
  });
}

// Print button on the one-page summary (hidden without JavaScript: use the browser's menu).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

// Notifications: turned on from My settings. The server only ever pushes "you have a new
// message", never the message itself.
const pushButton = document.querySelector("[data-push-on]");
if (pushButton && "serviceWorker" in navigator && "PushManager" in window) {
  const status = document.querySelector("[data-push-status]");
  const csrf = document.querySelector("input[name=csrf_token]")?.value;
  const key = pushButton.dataset.pushKey;
  const toBytes = (b64) => {
    const raw = atob((b64 + "=".repeat((4 - (b64.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  };
  pushButton.hidden = false;
  pushButton.addEventListener("click", async () => {
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        status.textContent = pushButton.dataset.msgDenied;
        return;
      }
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: toBytes(key),
      });
      const response = await fetch("/push/subscriptions", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(subscription.toJSON()),
      });
      status.textContent = response.ok ? pushButton.dataset.msgOn : pushButton.dataset.msgFailed;
    } catch (e) {
      status.textContent = pushButton.dataset.msgFailed;
    }
  });
}

// Messages written with no connection are kept on the phone (IndexedDB), shown as "waiting
// to send", and sent when the connection is back: on the `online` event and on every page
// load (Background Sync exists only in Chromium). The client key makes the server store each
// one once, however often it is sent. Without JavaScript the plain form works as it is.
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

async function postMessage(item) {
  const body = new URLSearchParams({ csrf_token: item.csrf, client_key: item.key, body: item.body });
  return fetch(item.url, { method: "POST", body, credentials: "same-origin" });
}

async function flushQueue() {
  if (!("indexedDB" in window) || !navigator.onLine) return;
  const items = (await queueOp("readonly", (store) => store.getAll())) || [];
  let sent = 0;
  for (const item of items) {
    try {
      const response = await postMessage(item);
      if (response.ok || response.status === 400) {
        await queueOp("readwrite", (store) => store.delete(item.key));
        sent += 1;
      }
    } catch (e) {
      return; // still offline: keep it for the next try
    }
  }
  if (sent && document.querySelector("[data-message-form]")) window.location.reload();
}

const messageForm = document.querySelector("[data-message-form]");
if (messageForm && "indexedDB" in window) {
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
  queueOp("readonly", (store) => store.getAll()).then((items) => (items || []).forEach(showWaiting));

  messageForm.addEventListener("submit", async (event) => {
    const field = messageForm.querySelector("textarea");
    if (navigator.onLine || !field.value.trim()) return; // online: the ordinary form post
    event.preventDefault();
    const keyField = messageForm.querySelector("input[name=client_key]");
    const item = {
      key: keyField.value,
      body: field.value,
      url: messageForm.action || window.location.pathname,
      csrf: messageForm.querySelector("input[name=csrf_token]").value,
    };
    await queueOp("readwrite", (store) => store.put(item));
    showWaiting(item);
    field.value = "";
    keyField.value = crypto.randomUUID ? crypto.randomUUID().replace(/-/g, "") : String(Date.now());
  });
}
window.addEventListener("online", flushQueue);
flushQueue();

if (document.querySelector("[data-signed-out]") && "indexedDB" in window) {
  indexedDB.deleteDatabase(QUEUE_DB); // nothing of theirs stays on the phone
}
