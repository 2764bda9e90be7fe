// Results under a search box while typing: a form marked data-live-search="<id>" fetches its
// own GET URL with partial=1 and puts the answer into the element with that id. Without this
// script the form still works: the button submits and the page shows the same results.
(function () {
  "use strict";
  document.querySelectorAll("form[data-live-search]").forEach(function (form) {
    var target = document.getElementById(form.getAttribute("data-live-search"));
    var input = form.querySelector("input[type=search]");
    if (!target || !input) return;
    var timer = null;
    var last = input.value.trim();
    var controller = null;
    function run() {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      if (controller) controller.abort();
      controller = new AbortController();
      var url = form.action + "?" + new URLSearchParams({ q: q, partial: "1" });
      fetch(url, { credentials: "same-origin", signal: controller.signal })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          target.innerHTML = html;
          if (window.history && window.history.replaceState) {
            window.history.replaceState(null, "", form.action + (q ? "?q=" + encodeURIComponent(q) : ""));
          }
        })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (input.value.trim().length === 1) return;
      timer = setTimeout(run, 250);
    });
  });
})();
