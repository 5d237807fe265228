// Small helpers for reading what the server put in the page.

// The CSRF token of the page open now (every signed-in page has a form with one).
export function csrfToken() {
  return document.querySelector("input[name=csrf_token]")?.value;
}

// Words the server translated for a script, kept in <script type="application/json" id=...>.
export function wordsFromPage(id) {
  return JSON.parse(document.getElementById(id)?.textContent || "{}");
}

// The signed-out page: what this person kept on the phone is cleared there.
export function isSignedOutPage() {
  return Boolean(document.querySelector("[data-signed-out]"));
}
