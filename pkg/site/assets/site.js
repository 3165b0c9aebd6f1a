// reqtrail site: keyboard shortcut "/" focuses the search box.
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    var box = document.getElementById("rt-q") || document.querySelector(".top-search input");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });
})();
