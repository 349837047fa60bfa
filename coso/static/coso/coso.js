// Coso's own behaviour, kept out of the HTML so the Content-Security-Policy can forbid inline script.
// - data-autosubmit on a <select> or input: changing it submits its form (a filter picker).
// - data-select-all on a read-only input: a click selects its text (a token or a feed address to copy).
// - data-confirm on a <form>: an irreversible or destructive action asks first (htmx forms use hx-confirm).
"use strict";
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.requestSubmit();
  }
});
document.addEventListener("click", function (event) {
  var field = event.target;
  if (field.matches && field.matches("input[data-select-all]")) {
    field.select();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
