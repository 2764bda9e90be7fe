// Behaviour shared by every page. The Content-Security-Policy allows scripts from our own static
// files only, so no template carries inline scripts or onclick= handlers: they mark elements
// with data- attributes and this file wires them up.
(function () {
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
