// reqtrail serve: reloads the page when the site is rebuilt. Only `reqtrail serve` adds this
// script; it polls the version endpoint of the server that sent the page.
(function () {
  "use strict";
  if (location.protocol !== "http:" && location.protocol !== "https:") return;
  var root = (document.querySelector('link[rel="stylesheet"]') || {}).href || "";
  var url = root.replace(/assets\/style\.css.*$/, "") + "__reqtrail/version";
  var current = null;
  function poll() {
    fetch(url, { cache: "no-store" }).then(function (r) { return r.ok ? r.text() : null; }).then(function (v) {
      if (v === null) return;
      if (current === null) current = v;
      else if (v !== current) { location.reload(); return; }
    }).catch(function () {}).then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
