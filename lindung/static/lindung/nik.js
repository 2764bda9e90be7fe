// Typing a NIK fills the birth date and sex it encodes (and names its district), with the
// rules of lindung/lib/nik.py: 6-digit district, birth day (+40 for women), month, two-digit
// year (the latest such date not after today), serial. The operator only corrects; the
// server checks everything again and stays the authority.
(function () {
  "use strict";
  var input = document.querySelector("input[data-nik]");
  if (!input) return;
  var form = input.form;
  var out = document.getElementById(input.getAttribute("data-nik"));
  var birth = form.querySelector("input[name=birth_date]");
  var lookup = input.getAttribute("data-area-url");

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function birthDate(day, month, yy, today) {
    var base = today.getFullYear() - (today.getFullYear() % 100) + yy;
    for (var year = base; year > base - 500 && year > 0; year -= 100) {
      var d = new Date(year, month - 1, day);
      d.setFullYear(year);
      if (d.getDate() !== day || d.getMonth() !== month - 1) continue;
      if (d <= today) return d;
    }
    return null;
  }

  function parse(raw) {
    var nik = raw.replace(/^['\u2019]/, "").replace(/[\s.\-]/g, "");
    if (!/^[0-9]{16}$/.test(nik)) return null;
    if (nik.slice(0, 2) === "00" || nik.slice(2, 4) === "00" || nik.slice(4, 6) === "00") return null;
    var day = parseInt(nik.slice(6, 8), 10);
    var sex = "M";
    if (day > 40) { day -= 40; sex = "F"; }
    var month = parseInt(nik.slice(8, 10), 10);
    if (day < 1 || day > 31 || month < 1 || month > 12) return null;
    if (parseInt(nik.slice(12), 10) === 0) return null;
    var date = birthDate(day, month, parseInt(nik.slice(10, 12), 10), new Date());
    if (!date) return null;
    return {
      district: nik.slice(0, 2) + "." + nik.slice(2, 4) + "." + nik.slice(4, 6),
      date: date,
      sex: sex,
    };
  }

  // A field is filled only when empty or filled by us before: a correction is never undone.
  function fill(field, value) {
    if (field.value && field.getAttribute("data-from-nik") !== field.value) return;
    field.value = value;
    field.setAttribute("data-from-nik", value);
  }

  function update() {
    var info = parse(input.value);
    if (!info) { if (out) out.textContent = ""; return; }
    var iso = info.date.getFullYear() + "-" + pad(info.date.getMonth() + 1) + "-" + pad(info.date.getDate());
    if (birth) fill(birth, iso);
    var radios = form.querySelectorAll("input[name=sex]");
    var chosen = form.querySelector("input[name=sex]:checked");
    if (!chosen || chosen.getAttribute("data-from-nik")) {
      radios.forEach(function (r) {
        r.removeAttribute("data-from-nik");
        if (r.value === info.sex) { r.checked = true; r.setAttribute("data-from-nik", "1"); }
      });
    }
    if (!out) return;
    var text = out.getAttribute("data-template")
      .replace("{date}", pad(info.date.getDate()) + "-" + pad(info.date.getMonth() + 1) + "-" + info.date.getFullYear())
      .replace("{sex}", out.getAttribute(info.sex === "F" ? "data-female" : "data-male"))
      .replace("{district}", info.district);
    out.textContent = text;
    if (lookup) {
      fetch(lookup + "?" + new URLSearchParams({ q: info.district, format: "json", any: "1" }), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          var found = (data.results || []).filter(function (a) { return a.code === info.district; })[0];
          if (found && parse(input.value)) out.textContent = text.replace(info.district, found.label);
        })
        .catch(function () {});
    }
  }

  input.addEventListener("input", update);
  input.addEventListener("change", update);
})();
