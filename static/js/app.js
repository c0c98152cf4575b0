/* Small behaviours of every page, wired by data attributes (the Content-Security-Policy
 * allows no inline script or on…="" handler):
 *   <select data-autosubmit>       submits its form when the choice changes;
 *   <form data-confirm="question">  asks before it is sent;
 *   .filter-form select             gets Bootstrap's look;
 *   <select data-unit-search="url">  a unit picker searched by name as one types
 *                                   (units.forms.UnitPicker; tom-select, loaded only then);
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
  document.querySelectorAll(".filter-form select:not([data-unit-search])").forEach(function (el) {
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

  var pickers = document.querySelectorAll("select[data-unit-search]");
  if (pickers.length) {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = pickers[0].dataset.pickerCss;
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = pickers[0].dataset.pickerJs;
    js.onload = function () { pickers.forEach(unitPicker); };
    document.head.appendChild(js);
  }

  function text(value) {
    var div = document.createElement("div");
    div.textContent = value;
    return div.innerHTML;
  }

  function unitPicker(el) {
    /* global TomSelect */
    var picker = new TomSelect(el, {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      placeholder: el.dataset.placeholder,
      plugins: el.querySelector('option[value=""]') ? { clear_button: { title: el.dataset.clear } } : {},
      maxOptions: 30,
      loadThrottle: 250,
      // The server folds accents and matches words: show what it sent, as sent.
      score: function () { return function () { return 1; }; },
      shouldLoad: function (query) { return query.trim().length >= 2; },
      load: function (query, callback) {
        var picker = this;
        fetch(el.dataset.unitSearch + "&q=" + encodeURIComponent(query), {
          credentials: "same-origin", headers: { Accept: "application/json" }
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { picker.clearOptions(); callback(data.results); })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () {
          return '<div class="no-results">' + text(el.dataset.noResults) + "</div>";
        }
      }
    });
    // The label now names tom-select's box; the select it replaced stays in the form only
    // (hidden, not focusable), so it leaves the accessibility tree too.
    picker.input.setAttribute("aria-hidden", "true");
  }
})();
