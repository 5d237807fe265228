// Print button on the one-page summary (hidden without JavaScript: use the browser's menu).
export function showPrintButtons() {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
}
