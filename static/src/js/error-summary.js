// Move focus to the error summary so screen reader users hear what went wrong first.
export function focusErrorSummary() {
  document.querySelector(".nhsuk-error-summary")?.focus();
}
