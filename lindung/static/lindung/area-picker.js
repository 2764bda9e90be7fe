// The area picker: while typing in an input[data-area-pick], suggest matching areas in its
// <datalist> from /wilayah/pilih/ (name or code). Without this script the same input takes a
// code or a name and the server resolves it.
(function () {
  "use strict";
  document.querySelectorAll("input[data-area-pick]").forEach(function (input) {
    var list = input.list;
    if (!list) return;
    var timer = null;
    var controller = null;
    var last = "";
    function suggest() {
      var q = input.value.trim();
      if (q.length < 2 || q === last || /\([0-9.]+\)$/.test(q)) return;
      last = q;
      var params = new URLSearchParams({ q: q, format: "json" });
      (input.getAttribute("data-levels") || "").split(",").forEach(function (level) {
        if (level) params.append("level", level);
      });
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(input.getAttribute("data-area-pick") + "?" + params, {
        credentials: "same-origin",
        signal: controller.signal,
      })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          list.replaceChildren.apply(list, (data.results || []).map(function (area) {
            var option = document.createElement("option");
            option.value = area.label;
            return option;
          }));
        })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 200);
    });
  });
})();
