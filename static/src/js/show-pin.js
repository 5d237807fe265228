// "Show PIN": the digits are dots until the person asks to see them; the button says whether
// they are shown (aria-pressed), and the PIN box keeps the focus where it was.
export function offerShowPin() {
  for (const button of document.querySelectorAll("[data-show-pin]")) {
    const box = document.getElementById(button.dataset.showPin);
    if (!box) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const showing = box.type === "text";
      box.type = showing ? "password" : "text";
      button.setAttribute("aria-pressed", String(!showing));
    });
  }
}
