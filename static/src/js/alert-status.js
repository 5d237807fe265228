// Something urgent a person sent: its status is a live region, checked every 30 seconds and
// whenever the page comes back into view, so "Kim has seen this" is announced without a
// reload. The page already shows the latest status without JavaScript. A family's list of
// requests can show more than one.
export function watchAlertStatus() {
  document.querySelectorAll("[data-alert-status]").forEach(watch);
}

function watch(alertStatus) {
  let seen = alertStatus.dataset.alertSeen === "yes";
  const check = async () => {
    if (seen) return;
    try {
      const response = await fetch(alertStatus.dataset.alertStatus, {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      if (!response.ok) return;
      const data = await response.json();
      const fresh = new DOMParser().parseFromString(data.html, "text/html").body;
      if (fresh.textContent.trim() !== alertStatus.textContent.trim()) {
        alertStatus.replaceChildren(...fresh.childNodes);
      }
      seen = Boolean(data.seen);
    } catch {
      // no connection: the next check tries again
    }
  };
  const timer = setInterval(() => (seen ? clearInterval(timer) : check()), 30000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") check();
  });
}
