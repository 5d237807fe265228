import { wordsFromPage } from "./page.js";

// Read aloud: a button beside each chunk, with pause and stop. Only when the person has it on,
// and only with a voice for the chunk's language (the page's, or English for a page not yet
// translated): Urdu is never read with an English voice. Where the phone has no voice for the
// page's language the buttons stay away and one sentence says why.
export function offerReadAloud() {
  const root = document.documentElement;
  const speech = window.speechSynthesis;
  if (!speech || !root.classList.contains("mkw-read-aloud-on")) return;
  const labels = wordsFromPage("mkw-read-aloud-labels");
  const primary = (code) => (code || "en").toLowerCase().replace("_", "-").split("-")[0];
  const voiceFor = (code) => speech.getVoices().find((v) => primary(v.lang) === primary(code));
  let speaking = null;

  const reset = () => {
    if (speaking) speaking.controls.replaceChildren(makeButton(labels.read, () => start(speaking.chunk, speaking.controls, speaking.voice)));
    speaking = null;
  };

  function makeButton(text, onClick) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    button.addEventListener("click", onClick);
    return button;
  }

  function start(chunk, controls, voice) {
    speech.cancel();
    reset();
    const utterance = new SpeechSynthesisUtterance(chunk.dataset.text);
    utterance.lang = voice.lang;
    if (voice instanceof SpeechSynthesisVoice) utterance.voice = voice;
    utterance.rate = 0.9;
    utterance.onend = () => { if (speaking && speaking.chunk === chunk) reset(); };
    speaking = { chunk, controls, voice };
    const pause = makeButton(labels.pause, () => {
      if (speech.paused) { speech.resume(); pause.textContent = labels.pause; }
      else { speech.pause(); pause.textContent = labels.resume; }
    });
    const stopButton = makeButton(labels.stop, () => { speech.cancel(); reset(); });
    controls.replaceChildren(pause, stopButton);
    pause.focus();
    speech.speak(utterance);
  }

  // Phones list their voices a moment after the page opens: wait for them, then decide once.
  let decided = false;
  const decide = (final) => {
    if (decided) return;
    const chunks = [...document.querySelectorAll("[data-read-aloud]")];
    const voices = chunks.map((chunk) => voiceFor(chunk.closest("[lang]")?.lang || root.lang));
    if (!voices.some(Boolean) && !final) return;
    decided = true;
    chunks.forEach((chunk, n) => {
      if (!voices[n]) return;
      chunk.dataset.text = chunk.innerText;
      const controls = document.createElement("div");
      controls.className = "mkw-read-aloud";
      controls.append(makeButton(labels.read, () => start(chunk, controls, voices[n])));
      chunk.append(controls);
    });
    const sentence = document.querySelector("[data-no-voice]");
    if (sentence && chunks.length && !voiceFor(root.lang)) sentence.hidden = false;
  };
  decide(false);
  speech.addEventListener?.("voiceschanged", () => decide(false));
  setTimeout(() => decide(true), 1500);
}
