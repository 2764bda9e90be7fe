// Polls the import's status every two seconds, moves the bar, reloads the page when done.
(function () {
  var box = document.getElementById("progress");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector(".bar");
  var fill = box.querySelector(".bar > span");
  var text = document.getElementById("progress-text");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        fill.className = "w" + Math.max(0, Math.min(100, Math.round(s.percent)));
        bar.setAttribute("aria-valuenow", s.percent);
        text.textContent = s.done + " / " + s.total;
        if (s.running) { setTimeout(poll, 2000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
