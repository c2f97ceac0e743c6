/* The admin page: the model's status, learning chart and history.
 *
 * Signed in by an HttpOnly cookie (set by /admin/login), which same-origin fetches
 * send by themselves: this script never sees the token. Everything it shows is set
 * through textContent or SVG attributes of numbers, never parsed as HTML.
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var timer = null;

  function Unauthorized() {}

  function api(path, options) {
    return fetch(path, options || {}).then(function (response) {
      if (response.status === 401) throw new Unauthorized();
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.message || response.statusText);
        return body;
      });
    });
  }

  function showSignIn() {
    clearInterval(timer);
    document.getElementById("dashboard").hidden = true;
    document.getElementById("signout").hidden = true;
    document.getElementById("signin").hidden = false;
    if (new URLSearchParams(location.search).get("login") === "failed") {
      document.getElementById("error").textContent =
          "That sign-in link was used already or is from an earlier start, or the token was wrong.";
    }
  }

  function cell(row, text) { var td = document.createElement("td"); td.textContent = text; row.appendChild(td); return td; }
  function card(label, value) {
    var div = document.createElement("div"); div.className = "card";
    var b = document.createElement("b"); b.textContent = value;
    div.appendChild(b); div.appendChild(document.createTextNode(label));
    return div;
  }
  function time(ms) { return ms ? new Date(ms).toLocaleString() : "never"; }

  function renderStatus(s) {
    document.getElementById("signin").hidden = true;
    document.getElementById("dashboard").hidden = false;
    document.getElementById("signout").hidden = false;
    var cards = document.getElementById("cards");
    cards.textContent = "";
    var f = s.feedback;
    [["model version", "v" + s.model.version],
     ["learner updates", s.model.learner.updates],
     ["learning rate", s.model.learner.learning_rate.toFixed(4)],
     ["last fold", time(s.model.learner.last_fold_ms)],
     ["impressions", f.impressions],
     ["clicks folded / pending", f.clicks.folded + " / " + f.clicks.pending],
     ["clicks rejected", f.clicks.rejected.unknown_query + f.clicks.rejected.not_shown + f.clicks.rejected.wrong_position],
     ["impressions dropped", f.impressions_dropped],
     ["click to model p50 / p99", f.click_to_model_ms.p50 + " / " + f.click_to_model_ms.p99 + " ms"],
     ["documents", s.index.documents],
     ["requests (last minute)", s.server.last_minute.requests],
     ["latency p50 / p99", s.server.last_minute.p50_ms.toFixed(1) + " / " + s.server.last_minute.p99_ms.toFixed(1) + " ms"]
    ].forEach(function (c) { cards.appendChild(card(c[0], c[1])); });
    var body = document.querySelector("#weights tbody");
    body.textContent = "";
    var base = s.model.base.weights || {};
    Object.keys(s.model.delta.weights).forEach(function (name) {
      var row = document.createElement("tr");
      cell(row, name);
      cell(row, name in base ? base[name].toFixed(4) : "trees");
      cell(row, s.model.delta.weights[name].toFixed(4));
      body.appendChild(row);
    });
  }

  function renderModels(m) {
    var body = document.querySelector("#models tbody");
    body.textContent = "";
    m.models.forEach(function (model) {
      var row = document.createElement("tr");
      cell(row, "v" + model.version + (model.active ? " (active)" : ""));
      cell(row, model.parent ? "v" + model.parent : "");
      cell(row, model.created_ms ? time(model.created_ms) : "built in");
      cell(row, model.metrics.clicks || 0);
      cell(row, model.metrics.learner_updates || 0);
      var actions = cell(row, "");
      if (!model.active) {
        var button = document.createElement("button");
        button.textContent = "activate";
        button.addEventListener("click", function () {
          if (!confirm("Serve model v" + model.version + "?")) return;
          api("/admin/models/" + Number(model.version) + "/activate", {method: "POST"})
            .then(refresh, showError);
        });
        actions.appendChild(button);
      }
      body.appendChild(row);
    });
  }

  function svg(parent, tag, attributes, title) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (title !== undefined) {
      var t = document.createElementNS(SVG, "title");
      t.textContent = title;
      node.appendChild(t);
    }
    parent.appendChild(node);
    return node;
  }

  // Bars of clicks folded per bucket, a line of top-3 click-through, and ticks
  // where model versions were made.
  function renderChart(t) {
    var W = 900, H = 240, P = 34;
    var root = document.createElementNS(SVG, "svg");
    root.setAttribute("viewBox", "0 0 " + W + " " + H);
    root.setAttribute("role", "img");
    root.setAttribute("aria-label", "learning over time");
    var buckets = t.buckets;
    var n = Math.max(1, Math.round((Date.now() - t.since_ms) / t.bucket_ms));
    var x = function (ms) { return P + (W - 2 * P) * (ms - t.since_ms) / (n * t.bucket_ms); };
    var maxFolded = Math.max(1, Math.max.apply(null, buckets.map(function (b) { return b.folded_clicks; }).concat([0])));
    var bw = Math.max(1, (W - 2 * P) / n - 1);
    svg(root, "line", {x1: P, y1: H - P, x2: W - P, y2: H - P, stroke: "#999"});
    buckets.forEach(function (b) {
      var h = (H - 2 * P) * b.folded_clicks / maxFolded;
      svg(root, "rect", {x: x(b.start_ms).toFixed(1), y: (H - P - h).toFixed(1), width: bw.toFixed(1),
                         height: h.toFixed(1), fill: "#3465a4", opacity: ".6"},
          b.folded_clicks + " clicks folded");
      if (b.models > 0) {
        svg(root, "line", {x1: x(b.start_ms).toFixed(1), y1: P - 8, x2: x(b.start_ms).toFixed(1), y2: P,
                           stroke: "#4e9a06", "stroke-width": 2},
            b.models + " versions, up to v" + b.last_version);
      }
    });
    var points = buckets.filter(function (b) { return b.impressions > 0; }).map(function (b) {
      return (x(b.start_ms) + bw / 2).toFixed(1) + "," + (H - P - (H - 2 * P) * Math.min(1, b.top3_ctr)).toFixed(1);
    });
    if (points.length) svg(root, "polyline", {points: points.join(" "), fill: "none", stroke: "#cc6600", "stroke-width": 2});
    svg(root, "text", {x: P, y: H - 8, "font-size": 12}).textContent = new Date(t.since_ms).toLocaleTimeString();
    svg(root, "text", {x: W - P, y: H - 8, "font-size": 12, "text-anchor": "end"}).textContent = "now";
    svg(root, "text", {x: 4, y: P + 4, "font-size": 12}).textContent = String(maxFolded);
    svg(root, "text", {x: W - 4, y: P + 4, "font-size": 12, "text-anchor": "end"}).textContent = "CTR 1.0";
    var chart = document.getElementById("chart");
    chart.textContent = "";
    chart.appendChild(root);
  }

  function showError(error) {
    if (error instanceof Unauthorized) return showSignIn();
    document.getElementById("error").textContent = error.message;
  }

  function refresh() {
    document.getElementById("error").textContent = "";
    api("/admin/status").then(function (status) {
      renderStatus(status);
      api("/admin/models?limit=50").then(renderModels).catch(showError);
      api("/admin/timeline?minutes=60&bucket_s=60").then(renderChart).catch(showError);
    }).catch(showError);
  }
  refresh();
  timer = setInterval(refresh, 5000);
})();
