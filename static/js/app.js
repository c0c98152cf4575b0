/* Small behaviours of every page, wired by data attributes (the Content-Security-Policy
 * allows no inline script or on…="" handler):
 *   <select data-autosubmit>       submits its form when the choice changes;
 *   <form data-confirm="question">  asks before it is sent;
 *   .filter-form select             gets Bootstrap's look. */
(function () {
  "use strict";
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  document.querySelectorAll(".filter-form select").forEach(function (el) {
    el.classList.add("form-select");
  });
})();
