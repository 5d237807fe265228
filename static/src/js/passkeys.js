import { base64urlToBytes, bytesToBase64url } from "./base64url.js";
import { csrfToken } from "./page.js";

// Passkeys (WebAuthn): shown only where the browser can use them. The server gives the
// options (with a one-time challenge), the phone asks for its fingerprint, face or screen
// lock, and the server checks the signed answer. Binary fields travel as base64url.
const PASSKEY_URLS = {
  "sign-in": ["/sign-in/passkey/options", "/sign-in/passkey"],
  check: ["/sign-in/passkey/check/options", "/sign-in/passkey/check"],
  add: ["/passkeys/new/options", "/passkeys/new"],
};

const fromB64 = (text) => base64urlToBytes(text).buffer;
const toB64 = bytesToBase64url;

function credentialJSON(credential) {
  const r = credential.response;
  const response = { clientDataJSON: toB64(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toB64(r.attestationObject);
    response.transports = r.getTransports ? r.getTransports() : [];
  } else {
    response.authenticatorData = toB64(r.authenticatorData);
    response.signature = toB64(r.signature);
    response.userHandle = toB64(r.userHandle);
  }
  return {
    id: credential.id,
    rawId: toB64(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
  };
}

async function usePasskey(block, action) {
  const status = block.querySelector("[data-passkey-status]");
  const csrf = csrfToken();
  const post = (url, body) => fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const keep = Boolean(document.getElementById("keep")?.checked);
  status.textContent = "";
  try {
    const asked = await post(PASSKEY_URLS[action][0], {});
    if (!asked.ok) throw new Error("options");
    const options = await asked.json();
    options.challenge = fromB64(options.challenge);
    let credential;
    try {
      if (action === "add") {
        options.user.id = fromB64(options.user.id);
        options.excludeCredentials = (options.excludeCredentials || []).map((c) => ({ ...c, id: fromB64(c.id) }));
        credential = await navigator.credentials.create({ publicKey: options });
      } else {
        options.allowCredentials = (options.allowCredentials || []).map((c) => ({ ...c, id: fromB64(c.id) }));
        credential = await navigator.credentials.get({ publicKey: options });
      }
    } catch {
      status.textContent = block.dataset.msgCancelled; // closed, timed out or not allowed
      return;
    }
    const answered = await post(PASSKEY_URLS[action][1], { credential: credentialJSON(credential), keep });
    const data = await answered.json().catch(() => ({}));
    if (answered.ok && data.next) window.location.assign(data.next);
    else status.textContent = data.message || block.dataset.msgFailed;
  } catch {
    status.textContent = block.dataset.msgFailed;
  }
}

export function offerPasskeys() {
  if (!window.PublicKeyCredential) return;
  for (const block of document.querySelectorAll("[data-passkey]")) {
    const button = block.querySelector("[data-passkey-action]");
    block.hidden = false;
    button.addEventListener("click", () => usePasskey(block, button.dataset.passkeyAction));
  }
}
