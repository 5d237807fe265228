import { base64urlToBytes } from "./base64url.js";
import { csrfToken } from "./page.js";

// Notifications: turned on from My settings. The server only ever pushes "you have a new
// message", never the message itself.
export function offerNotifications() {
  const pushButton = document.querySelector("[data-push-on]");
  if (!pushButton || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  const status = document.querySelector("[data-push-status]");
  const csrf = csrfToken();
  const key = pushButton.dataset.pushKey;
  pushButton.hidden = false;
  pushButton.addEventListener("click", async () => {
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        status.textContent = pushButton.dataset.msgDenied;
        return;
      }
      const registration = await navigator.serviceWorker.ready;
      const options = { userVisibleOnly: true, applicationServerKey: base64urlToBytes(key) };
      const send = (made) => fetch("/push/subscriptions", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(made.toJSON()),
      });
      let subscription = await registration.pushManager.subscribe(options);
      let response = await send(subscription);
      if (response.status === 409) {
        // Someone else signed in on this browser before: ask for a subscription of our own.
        await subscription.unsubscribe();
        subscription = await registration.pushManager.subscribe(options);
        response = await send(subscription);
      }
      status.textContent = response.ok ? pushButton.dataset.msgOn : pushButton.dataset.msgFailed;
    } catch {
      status.textContent = pushButton.dataset.msgFailed;
    }
  });
}
