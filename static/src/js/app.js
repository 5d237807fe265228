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
