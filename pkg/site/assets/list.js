// reqtrail site: the requirement list. Sorts by any column, filters by facets, and searches
// the lazily loaded index (data/search.js) — Chinese text included, matched inside words
// through character bigrams. The view lives in the URL's #fragment so it can be shared.
(function () {
  "use strict";
  var D = window.RT_LIST;
  var tbody = document.getElementById("rt-rows");
  if (!D || !tbody) return;

  var COL = {};
  D.cols.forEach(function (c, i) { COL[c] = i; });
  var FACETS = ["status", "type", "priority", "coverage", "release", "owner", "tag"];
  var UNSET = "(unset)";
  var LIMIT = 500;
  var rows = D.rows;
  var state = { q: "", sort: "id", desc: false, f: {} };
  var showAll = false;

  var qBox = document.getElementById("rt-q");
  var form = document.getElementById("rt-filters");
  var countEl = document.getElementById("rt-count");
  var moreWrap = document.getElementById("rt-more-wrap");
  var moreBtn = document.getElementById("rt-more");
  var top = document.querySelector(".top-search");
  if (top) top.hidden = true;

  function text(k) { return (D.text && D.text[k]) || k; }
  function label(v) { return D.labels[v] || v; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function cls(s) { return String(s).toLowerCase().replace(/[^a-z0-9-]/g, "") || "none"; }

  // ------------------------------------------------------------ URL state
  function readURL() {
    var h = location.hash.replace(/^#/, "");
    var src = h.length > 0 ? h : location.search.replace(/^\?/, "");
    var p = new URLSearchParams(src);
    state = { q: p.get("q") || "", sort: "id", desc: false, f: {} };
    var s = p.get("sort") || "id";
    if (s.charAt(0) === "-") { state.desc = true; s = s.slice(1); }
    if (COL[s] !== undefined) state.sort = s;
    FACETS.forEach(function (k) { var v = p.get(k); if (v) state.f[k] = v; });
  }
  function writeURL() {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    FACETS.forEach(function (k) { if (state.f[k]) p.set(k, state.f[k]); });
    if (state.sort !== "id" || state.desc) p.set("sort", (state.desc ? "-" : "") + state.sort);
    var h = p.toString() || "all";
    if (location.hash.replace(/^#/, "") === h) return;
    try { history.replaceState(null, "", "#" + h); } catch (e) { location.replace("#" + h); }
  }
  function syncForm() {
    qBox.value = state.q;
    qBox.classList.toggle("active", !!state.q);
    FACETS.forEach(function (k) {
      var sel = document.getElementById("rt-f-" + k);
      if (!sel) return;
      var v = state.f[k] || "";
      if (v && !Array.prototype.some.call(sel.options, function (o) { return o.value === v; })) {
        var o = document.createElement("option");
        o.value = v; o.textContent = label(v);
        sel.appendChild(o);
      }
      sel.value = v;
      sel.classList.toggle("active", !!v);
    });
    document.querySelectorAll("#rt-list th[data-col]").forEach(function (th) {
      var c = th.getAttribute("data-col");
      if (c === state.sort) th.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
  }

  // ------------------------------------------------------------ search index
  var TD = "0123456789abcdefghijklmnopqrstuv", CD = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_";
  var tVal = {}, cVal = {};
  for (var i = 0; i < 32; i++) { tVal[TD.charAt(i)] = i; cVal[CD.charAt(i)] = i; }
  var S = null, termIndex = null, decoded = {}, loading = false;
  var CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
  var WORD = /[\p{L}\p{Nd}\p{Mn}]/u;

  function loadIndex() {
    if (S || loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = "data/search.js";
    s.onload = function () {
      S = window.RT_SEARCH || { n: 0, t: [], p: [] };
      termIndex = new Map();
      S.t.forEach(function (t, i) { termIndex.set(t, i); });
      render();
    };
    s.onerror = function () { loading = false; countEl.textContent = "search index not found"; };
    document.head.appendChild(s);
  }
  function postings(i) {
    var got = decoded[i];
    if (got) return got;
    var s = S.p[i], out = [], acc = 0, prev = 0;
    for (var k = 0; k < s.length; k++) {
      var ch = s.charAt(k), v = tVal[ch];
      if (v !== undefined) { prev += acc * 32 + v; out.push(prev); acc = 0; }
      else acc = acc * 32 + cVal[ch];
    }
    decoded[i] = out;
    return out;
  }
  // parts cuts a query as the index cuts text: words, and runs of CJK characters.
  function parts(q) {
    var out = [], run = [], cjk = false;
    function flush() {
      if (run.length) out.push({ cjk: cjk, run: run.slice(0, cjk ? run.length : 32).join("") , chars: run.slice() });
      run = [];
    }
    Array.from(q.toLowerCase()).forEach(function (ch) {
      if (CJK.test(ch)) { if (!cjk) flush(); cjk = true; run.push(ch); }
      else if (WORD.test(ch)) { if (cjk) flush(); cjk = false; run.push(ch); }
      else flush();
    });
    flush();
    return out;
  }
  // search returns a mark per row (1: matches every part of q), or null for no query.
  function search(q) {
    var ps = parts(q);
    if (!ps.length) return null;
    var result = null;
    ps.forEach(function (p) {
      var hit = new Uint8Array(S.n);
      if (p.cjk && p.chars.length > 1) {
        var first = true;
        for (var k = 0; k + 1 < p.chars.length; k++) {
          var idx = termIndex.get(p.chars[k] + p.chars[k + 1]);
          var cur = new Uint8Array(S.n);
          if (idx !== undefined) postings(idx).forEach(function (n) { cur[n] = 1; });
          if (first) { hit = cur; first = false; }
          else for (var j = 0; j < S.n; j++) hit[j] &= cur[j];
        }
      } else {
        var needle = p.run;
        for (var t = 0; t < S.t.length; t++) {
          if (S.t[t].indexOf(needle) >= 0) postings(t).forEach(function (n) { hit[n] = 1; });
        }
      }
      if (result === null) result = hit;
      else for (var j = 0; j < S.n; j++) result[j] &= hit[j];
    });
    return result;
  }

  // ------------------------------------------------------------ sorting
  function idKey(id) {
    var m = /^(.*?)(\d+)$/.exec(id);
    return m ? [m[1], parseInt(m[2], 10)] : [id, -1];
  }
  function comparator(col, desc) {
    var c = COL[col], order = D.order[col], dir = desc ? -1 : 1;
    var rank = {};
    if (order) order.forEach(function (v, i) { rank[v] = i; });
    return function (a, b) {
      var x = a[c], y = b[c], r = 0;
      if (col === "id") {
        var kx = idKey(x), ky = idKey(y);
        r = kx[0] < ky[0] ? -1 : kx[0] > ky[0] ? 1 : kx[1] - ky[1];
      } else if (col === "ice") {
        r = x - y;
      } else {
        if (col === "tag") { x = x.join(" "); y = y.join(" "); }
        var ex = x === "" || x === undefined, ey = y === "" || y === undefined;
        if (ex || ey) { if (ex && ey) r = 0; else return ex ? 1 : -1; }
        else if (order) {
          var rx = rank[x] === undefined ? 999 : rank[x], ry = rank[y] === undefined ? 999 : rank[y];
          r = rx - ry;
        } else {
          r = x.localeCompare(y, undefined, { numeric: true });
        }
      }
      if (r === 0 && col !== "id") {
        var ka = idKey(a[0]), kb = idKey(b[0]);
        return ka[0] < kb[0] ? -1 : ka[0] > kb[0] ? 1 : ka[1] - kb[1];
      }
      return r * dir;
    };
  }

  // ------------------------------------------------------------ rendering
  function highlight(s, words) {
    if (!words.length) return esc(s);
    var lower = s.toLowerCase(), marks = new Uint8Array(s.length);
    words.forEach(function (w) {
      if (!w) return;
      var at = lower.indexOf(w);
      while (at >= 0) { for (var k = at; k < at + w.length; k++) marks[k] = 1; at = lower.indexOf(w, at + w.length); }
    });
    var out = "", open = false;
    for (var k = 0; k < s.length; k++) {
      if (marks[k] && !open) { out += "<mark>"; open = true; }
      if (!marks[k] && open) { out += "</mark>"; open = false; }
      out += esc(s.charAt(k));
    }
    return out + (open ? "</mark>" : "");
  }
  function badge(v) { return v ? '<span class="badge k-' + cls(v) + '">' + esc(label(v)) + "</span>" : ""; }
  function href(id) { return "r/" + encodeURIComponent(id) + ".html"; }

  function render() {
    var mark = null;
    if (state.q) {
      if (!S) { countEl.textContent = text("Loading the search index…"); loadIndex(); return; }
      mark = search(state.q);
    }
    var words = state.q ? parts(state.q).map(function (p) { return p.run; }) : [];
    var list = [];
    for (var i = 0; i < rows.length; i++) {
      if (mark && !mark[i]) continue;
      var r = rows[i], ok = true;
      for (var k = 0; k < FACETS.length && ok; k++) {
        var f = FACETS[k], want = state.f[f];
        if (!want) continue;
        if (f === "tag") ok = r[COL.tag].indexOf(want) >= 0;
        else ok = (r[COL[f]] || UNSET) === want;
      }
      if (ok) list.push(r);
    }
    list.sort(comparator(state.sort, state.desc));
    var n = showAll ? list.length : Math.min(list.length, LIMIT);
    var html = [];
    for (var j = 0; j < n; j++) {
      var r = list[j], id = r[COL.id];
      html.push("<tr><td><a class=\"ref\" href=\"" + esc(href(id)) + "\">" + esc(id) + "</a></td>" +
        "<td class=\"title\"><a href=\"" + esc(href(id)) + "\">" + highlight(r[COL.title], words) + "</a>" +
        (r[COL.tag].length ? " <span class=\"chips\">" + r[COL.tag].map(function (t) { return "<span class=\"chip\">" + esc(t) + "</span>"; }).join("") + "</span>" : "") + "</td>" +
        "<td>" + badge(r[COL.status]) + "</td>" +
        "<td>" + esc(label(r[COL.type])) + "</td>" +
        "<td>" + badge(r[COL.priority]) + "</td>" +
        "<td class=\"num\">" + (r[COL.ice] || "") + "</td>" +
        "<td>" + badge(r[COL.urgency]) + "</td>" +
        "<td class=\"nowrap\">" + esc(r[COL.release]) + "</td>" +
        "<td>" + esc(r[COL.owner]) + "</td>" +
        "<td>" + badge(r[COL.coverage]) + "</td>" +
        "<td class=\"nowrap\">" + esc(r[COL.due]) + "</td></tr>");
    }
    if (!list.length) html.push("<tr><td colspan=\"11\" class=\"muted\">" + esc(text("No requirement matches.")) + "</td></tr>");
    tbody.innerHTML = html.join("");
    countEl.textContent = list.length === rows.length ? rows.length + " " + text("requirements")
      : list.length + " " + text("of") + " " + rows.length + " " + text("requirements");
    moreWrap.hidden = n >= list.length;
    moreBtn.textContent = text("Show all") + " (" + list.length + ")";
  }

  function update() { showAll = false; writeURL(); syncForm(); render(); }

  // ------------------------------------------------------------ events
  var timer = 0;
  qBox.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = qBox.value.trim(); update(); }, 120);
  });
  qBox.addEventListener("focus", loadIndex);
  form.addEventListener("submit", function (e) { e.preventDefault(); state.q = qBox.value.trim(); update(); });
  form.addEventListener("reset", function (e) { e.preventDefault(); state = { q: "", sort: state.sort, desc: state.desc, f: {} }; update(); });
  FACETS.forEach(function (k) {
    var sel = document.getElementById("rt-f-" + k);
    if (sel) sel.addEventListener("change", function () { if (sel.value) state.f[k] = sel.value; else delete state.f[k]; update(); });
  });
  document.querySelectorAll("#rt-list th[data-col] button").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var c = btn.parentNode.getAttribute("data-col");
      if (state.sort === c) state.desc = !state.desc;
      else { state.sort = c; state.desc = c === "ice"; }
      update();
    });
  });
  moreBtn.addEventListener("click", function () { showAll = true; render(); });
  window.addEventListener("hashchange", function () { readURL(); syncForm(); render(); });

  readURL();
  syncForm();
  render();
})();
