// reqtrail serve: reloads the page when the site is rebuilt. Only `reqtrail serve` adds this
// script; it polls the version endpoint of the server that sent the page, naming the page: a
// record page reloads only when its own content changed, any other page on every rebuild.
(function () {
  "use strict";
  if (location.protocol !== "http:" && location.protocol !== "https:") return;
  var root = (document.querySelector('link[rel="stylesheet"]') || {}).href || "";
  var base = root.replace(/assets\/style\.css.*$/, "");
  var page = location.href.split("#")[0].split("?")[0];
  page = page.indexOf(base) === 0 ? page.slice(base.length) : "";
  if (page === "" || page.charAt(page.length - 1) === "/") page += "index.html";
  var url = base + "__reqtrail/version?page=" + encodeURIComponent(decodeURIComponent(page));
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
