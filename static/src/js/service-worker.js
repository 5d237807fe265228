import { isSignedOutPage } from "./page.js";

// The service worker caches only versioned static files and the offline page. On the
// signed-out page it is told so, and every cache of this site on the phone is emptied.
export function startServiceWorker() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(() => {
      if (isSignedOutPage() && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
      }
    }).catch(() => {});
  }
  if (isSignedOutPage() && "caches" in window) {
    caches.keys().then((keys) => keys.forEach((key) => caches.delete(key)));
  }
}
