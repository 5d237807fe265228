// Character count under a text box with a limit: updated as the person types, and told to a
// screen reader only after a pause in typing (not after every key).
// The server gives the words for each plural category of the page's language (Arabic has six).
export function countCharacters() {
  const plurals = new Intl.PluralRules(document.documentElement.lang || "en");
  const capital = (word) => word.charAt(0).toUpperCase() + word.slice(1);
  for (const box of document.querySelectorAll("textarea[data-limit]")) {
    const limit = Number(box.dataset.limit);
    const shown = document.getElementById(`${box.id}-count`);
    const live = document.getElementById(`${box.id}-count-live`);
    let timer;
    const words = () => {
      const left = limit - box.value.length;
      const n = Math.abs(left);
      const kind = left >= 0 ? "left" : "over";
      const sentence = box.dataset[`${kind}${capital(plurals.select(n))}`] || box.dataset[`${kind}Other`];
      return [left, sentence.replace("{n}", String(n))];
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
