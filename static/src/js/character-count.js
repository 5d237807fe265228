// Character count under a text box with a limit: updated as the person types, and told to a
// screen reader only after a pause in typing (not after every key).
export function countCharacters() {
  for (const box of document.querySelectorAll("textarea[data-limit]")) {
    const limit = Number(box.dataset.limit);
    const shown = document.getElementById(`${box.id}-count`);
    const live = document.getElementById(`${box.id}-count-live`);
    let timer;
    const words = () => {
      const left = limit - box.value.length;
      const n = Math.abs(left);
      const kind = left >= 0 ? "left" : "over";
      const form = n === 1 ? "One" : "Other";
      return [left, box.dataset[`${kind}${form}`].replace("{n}", String(n))];
    };
    box.addEventListener("input", () => {
      const [left, text] = words();
      shown.textContent = text;
      shown.classList.toggle("mkw-count--over", left < 0);
      clearTimeout(timer);
      timer = setTimeout(() => { live.textContent = text; }, 1000);
    });
  }
}
