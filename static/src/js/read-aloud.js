import { wordsFromPage } from "./page.js";

// Read aloud: a button beside each chunk, with pause and stop. Only when the person has it on.
export function offerReadAloud() {
  const root = document.documentElement;
  const speech = window.speechSynthesis;
  if (!speech || !root.classList.contains("mkw-read-aloud-on")) return;
  const labels = wordsFromPage("mkw-read-aloud-labels");
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
    const stopButton = makeButton(labels.stop, () => { speech.cancel(); reset(); });
    controls.replaceChildren(pause, stopButton);
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
