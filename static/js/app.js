/* Small behaviours of every page, wired by data attributes (the Content-Security-Policy
 * allows no inline script or on…="" handler):
 *   <select data-autosubmit>       submits its form when the choice changes;
 *   <form data-confirm="question">  asks before it is sent;
 *   .filter-form select             gets Bootstrap's look;
 *   [data-error-summary]            a refused form's errors: it takes the focus (read out,
 *                                   scrolled to), and each of its links puts the cursor in
 *                                   its field. */
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
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
    });
  }
})();
