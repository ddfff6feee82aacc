/* smista console: the review queue's keyboard. A digit picks the type of the selected row,
   a letter its urgency, Invio saves (the model's labels when nothing was changed: an
   acceptance), Esc puts the model's labels back, j/k or the arrows move, o opens the message.
   Without JavaScript the same forms post and reload the page. */
(function () {
  "use strict";
  var TYPE_KEYS = {}, URGENCY_KEYS = {};  /* from the page: console/labels.py says which key is which */

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr.review-row")); }
  function selected() {
    var active = document.activeElement;
    var row = active && active.closest ? active.closest("tr.review-row") : null;
    return row || (active === document.body ? rows()[0] || null : null);
  }
  function mark(row) {
    if (!row) { return; }
    var form = row.querySelector("form.decide");
    var changed = form.type.value !== row.dataset.type || form.urgency.value !== row.dataset.urgency;
    row.classList.toggle("changed", changed);
    row.querySelector("button.save").textContent = changed ? "Salva correzione" : "Conferma";
  }
  function move(step) {
    var all = rows(), here = all.indexOf(selected());
    var next = all[Math.max(0, Math.min(all.length - 1, here + step))] || all[0];
    if (next) { next.focus(); }
  }

  document.addEventListener("keydown", function (event) {
    if (!document.getElementById("review-rows") || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") { return; }
    var row = selected(), key = event.key.toLowerCase();
    if (key === "j" || key === "arrowdown") { move(1); event.preventDefault(); return; }
    if (key === "k" || key === "arrowup") { move(-1); event.preventDefault(); return; }
    if (!row) { return; }
    var form = row.querySelector("form.decide");
    if (TYPE_KEYS[key]) { form.type.value = TYPE_KEYS[key]; mark(row); event.preventDefault(); }
    else if (URGENCY_KEYS[key]) { form.urgency.value = URGENCY_KEYS[key]; mark(row); event.preventDefault(); }
    else if (key === "escape") { form.type.value = row.dataset.type; form.urgency.value = row.dataset.urgency; mark(row); }
    else if (key === "o") { row.querySelector("a.open").click(); }
    else if (key === "enter" && (event.target === row || event.target === document.body)) { form.requestSubmit(); event.preventDefault(); }
  });

  document.addEventListener("change", function (event) {
    if (event.target.closest) { mark(event.target.closest("tr.review-row")); }
  });

  /* After a decision the row is gone: the next one takes the focus. htmx fires its later
     events on the removed row, which no longer reaches the document, so this is scheduled now. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var row = event.detail.target;
    if (!row || !row.classList || !row.classList.contains("review-row") || !event.detail.shouldSwap) { return; }
    var all = rows(), here = all.indexOf(row);
    var next = all[here + 1] || all[here - 1] || null;
    window.setTimeout(function () {
      if (next && document.body.contains(next)) { next.focus(); }
      else if (rows().length === 0) { window.location.reload(); }
    }, 60);
  });
  document.addEventListener("htmx:responseError", function (event) {
    window.alert("Non salvato: " + (event.detail.xhr.responseText.replace(/<[^>]*>/g, "") || event.detail.xhr.status));
  });

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.getElementById("review-rows");
    if (body) { TYPE_KEYS = JSON.parse(body.dataset.typeKeys); URGENCY_KEYS = JSON.parse(body.dataset.urgencyKeys); }
    var first = rows()[0];
    if (first) { first.focus(); }
  });
})();
