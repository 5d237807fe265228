import { CHECK_IN, hasOutbox, keepItem, newClientKey, ownerOfPage, waitingItems } from "./outbox.js";

// "How am I today?" with no signal: kept on the phone (outbox.js, kind "check-in") and listed
// under "Waiting to save" with the day and time it was made, which the server keeps. After
// red, help comes first, at once: the crisis routes and the person's own Red plan, already on
// this page (it may be the copy kept on the phone).
export function keepCheckInsMadeOffline() {
  const checkInForm = document.querySelector("[data-check-in-form]");
  if (!checkInForm || !hasOutbox()) return;
  const owner = ownerOfPage();
  const waiting = document.querySelector("[data-check-ins-waiting]");
  const dateWords = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit",
  });
  const showWaiting = (item) => {
    const button = checkInForm.querySelector(`button[name=feeling][value="${item.feeling}"]`);
    if (!waiting || !button) return;
    const entry = document.createElement("div");
    entry.className = `mkw-entry mkw-entry--${item.feeling} mkw-check-in--waiting`;
    const body = document.createElement("div");
    body.className = "mkw-entry__body";
    const made = document.createElement("p");
    made.className = "mkw-entry__when";
    made.textContent = dateWords.format(new Date(item.madeAt));
    const feeling = document.createElement("p");
    feeling.className = "mkw-entry__feeling";
    const strong = document.createElement("strong");
    strong.textContent = button.textContent.trim();
    feeling.append(strong);
    const status = document.createElement("p");
    status.className = "mkw-entry__status";
    status.textContent = waiting.dataset.status;
    body.append(made, feeling, status);
    const picture = button.querySelector("img");
    if (picture) entry.append(picture.cloneNode());
    entry.append(body);
    const li = document.createElement("li");
    li.append(entry);
    waiting.querySelector("ul").append(li);
    waiting.hidden = false;
  };
  waitingItems(owner, CHECK_IN).then((items) => items.forEach(showWaiting));

  checkInForm.addEventListener("submit", async (event) => {
    const feeling = event.submitter?.value;
    if (navigator.onLine || !feeling || !owner) return; // online: the ordinary form post
    event.preventDefault();
    const keyField = checkInForm.querySelector("input[name=client_key]");
    const item = {
      kind: CHECK_IN,
      key: keyField.value,
      feeling,
      madeAt: Date.now(),
      url: checkInForm.action,
      csrf: checkInForm.querySelector("input[name=csrf_token]").value,
      owner,
    };
    keyField.value = newClientKey(); // the next check-in is another one
    const help = document.querySelector("[data-offline-red]");
    if (feeling === "red" && help) {
      // Before anything else, even before the phone's storage answers.
      help.hidden = false;
      help.querySelector("h2").focus({ preventScroll: true });
      help.scrollIntoView({ block: "start" }); // at the top of the screen, not below the colours
    }
    await keepItem(item);
    showWaiting(item);
  });
}
