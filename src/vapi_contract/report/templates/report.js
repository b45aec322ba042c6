(function () {
  "use strict";
  // Progressive enhancement only: without this script every check is still listed and the
  // failing ones are open (<details open>).
  document.documentElement.classList.add("js");
  var checks = Array.prototype.slice.call(document.querySelectorAll("details.check"));
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  function filter(kind) {
    checks.forEach(function (el) {
      el.hidden = kind !== "all" && !el.classList.contains("st-" + kind);
    });
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-filter") === kind));
    });
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () { filter(b.getAttribute("data-filter")); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-expand]"), function (b) {
    b.addEventListener("click", function () {
      var open = b.getAttribute("data-expand") === "open";
      checks.forEach(function (el) { if (!el.hidden) { el.open = open; } });
    });
  });
})();
