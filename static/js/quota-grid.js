/* The quota grid works without this script; it only adds niceties: yellow for unsaved cells, a
 * count, a warning before leaving with unsaved numbers, arrow/Enter keys to move down, and
 * leaving unchanged inputs out of the POST so that large grids stay small. */
(function () {
  "use strict";
  var form = document.getElementById("grid-form");
  if (!form) { return; }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.grid-input"));
  var status = document.getElementById("grid-status");
  var submitting = false;

  function cellOf(input) { return input.closest("td"); }
  function trimmed(input) { return input.value.trim(); }
  function isEdited(input) { return trimmed(input) !== input.dataset.base; }

  function refresh(td) {
    var pair = td.querySelectorAll("input.grid-input");
    var changed = false;
    for (var i = 0; i < pair.length; i++) {
      if (trimmed(pair[i]) !== pair[i].dataset.saved) { changed = true; }
    }
    if (!td.classList.contains("grid-invalid")) { td.classList.toggle("grid-changed", changed); }
  }

  function countEdited() {
    var tds = new Set();
    inputs.forEach(function (input) { if (isEdited(input)) { tds.add(cellOf(input)); } });
    return tds.size;
  }

  function showCount() {
    var n = countEdited();
    if (status) { status.textContent = n ? n + " " + form.dataset.changedLabel : ""; }
    return n;
  }

  form.addEventListener("input", function (event) {
    if (!event.target.classList.contains("grid-input")) { return; }
    refresh(cellOf(event.target));
    showCount();
  });

  // Up/Down arrows and Enter move to the same box in the row above or below.
  var perRow = form.querySelectorAll("tbody tr:first-child input.grid-input").length;
  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("grid-input")) { return; }
    var step = 0;
    if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) { step = perRow; }
    if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) { step = -perRow; }
    if (!step) { return; }
    event.preventDefault();
    var next = inputs[inputs.indexOf(input) + step];
    if (next) { next.focus(); next.select(); }
  });

  // Send only the boxes that differ from what the page showed: the server reads a missing
  // box as "left alone". Keeps big grids under the server's limit on form fields.
  form.addEventListener("submit", function () {
    submitting = true;
    inputs.forEach(function (input) { if (!isEdited(input)) { input.disabled = true; } });
    var button = form.querySelector("button[type=submit]");
    if (button) { setTimeout(function () { button.disabled = true; }, 0); }
  });
  // Coming back with the browser's Back button: enable the boxes again.
  window.addEventListener("pageshow", function () {
    submitting = false;
    inputs.forEach(function (input) { input.disabled = false; });
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = false; }
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && countEdited()) {
      event.preventDefault();
      event.returnValue = form.dataset.confirmLeave;
      return form.dataset.confirmLeave;
    }
  });

  document.querySelectorAll("[data-grid-discard]").forEach(function (link) {
    link.addEventListener("click", function () { submitting = true; });
  });

  var importForm = document.getElementById("grid-import-form");
  if (importForm) {
    importForm.addEventListener("submit", function (event) {
      if (countEdited() && !window.confirm(form.dataset.confirmImport)) {
        event.preventDefault();
        return;
      }
      submitting = true;
    });
  }

  showCount();
  var summary = document.getElementById("grid-errors");
  if (summary) { summary.focus(); }
})();
