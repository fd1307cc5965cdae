// The error summary (includes/_error_summary.html): focused when the page loads, so a screen
// reader reads it and the page starts where the problems are listed; each link moves the focus
// to its field and brings the field's label into view.
(function () {
  "use strict";
  const summary = document.getElementById("error-summary");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-error-target]");
    if (!link) return;
    const field = document.getElementById(link.dataset.errorTarget);
    if (!field) return;
    event.preventDefault();
    const holder = field.closest("fieldset, .mb-3, td, .form-check") || field;
    holder.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
})();
