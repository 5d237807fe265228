import { MESSAGE, hasOutbox, keepItem, newClientKey, ownerOfPage, waitingItems } from "./outbox.js";

// The message form: with no connection, a message is kept on the phone (outbox.js) instead of
// posted, and shown in the conversation as waiting to send.
export function keepMessagesWrittenOffline() {
  const messageForm = document.querySelector("[data-message-form]");
  if (!messageForm || !hasOutbox()) return;
  const owner = ownerOfPage();
  const thread = document.querySelector(".mkw-messages");
  const showWaiting = (item) => {
    const li = document.createElement("li");
    li.className = "mkw-message mkw-message--mine mkw-message--waiting";
    const who = document.createElement("p");
    who.className = "mkw-message__who";
    who.textContent = messageForm.dataset.waiting;
    const text = document.createElement("p");
    text.className = "mkw-message__body";
    text.textContent = item.body;
    li.append(who, text);
    thread.append(li);
  };
  waitingItems(owner, MESSAGE).then((items) => items.forEach(showWaiting));

  messageForm.addEventListener("submit", async (event) => {
    const field = messageForm.querySelector("textarea");
    if (navigator.onLine || !field.value.trim() || !owner) return; // online: the ordinary form post
    event.preventDefault();
    const keyField = messageForm.querySelector("input[name=client_key]");
    const item = {
      key: keyField.value,
      body: field.value,
      urgent: Boolean(messageForm.querySelector("input[name=urgent]")?.checked),
      url: messageForm.action || window.location.pathname,
      csrf: messageForm.querySelector("input[name=csrf_token]").value,
      owner,
    };
    await keepItem(item);
    showWaiting(item);
    field.value = "";
    keyField.value = newClientKey();
  });
}
