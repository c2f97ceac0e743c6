/* foldrank search widget: a search box and results for any page, no dependencies.
 *
 *   <div id="search"></div>
 *   <script src="https://search.example.com/widget.js" data-target="#search"></script>
 *
 * or, from your own script: FoldrankWidget.mount(element, {server: "https://...", k: 10}).
 * Clicks on results are reported to the server with navigator.sendBeacon (query id,
 * document id, position), so the ranking learns from them; the link then opens as usual.
 *
 * Safe on any page: results become DOM nodes through textContent, never HTML, and a
 * link's href is set only to an http(s) URL or a relative one. Under a Content
 * Security Policy the embedding page allows the server's origin in script-src,
 * style-src (the widget links its stylesheet, /widget.css) and connect-src.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var defaultServer = script ? new URL(script.src, location.href).origin : location.origin;

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A stylesheet file, not an inline <style>: pages with a Content Security Policy
  // then only need to allow the server's origin in style-src.
  function linkStyle(server) {
    if (document.getElementById("foldrank-style")) return;
    var link = element("link");
    link.id = "foldrank-style";
    link.rel = "stylesheet";
    link.href = server + "/widget.css";
    document.head.appendChild(link);
  }

  // The server refuses other URLs at ingest; checked again here, so that a link
  // never runs script whatever a server sends: http(s) only, or relative.
  function safeHref(url) {
    if (!url) return null;
    try {
      var resolved = new URL(url, location.href);
      return resolved.protocol === "http:" || resolved.protocol === "https:" ? resolved.href : null;
    } catch (e) {
      return null;
    }
  }

  function mount(target, options) {
    options = options || {};
    var server = (options.server || defaultServer).replace(/\/$/, "");
    var k = options.k || 10;
    linkStyle(server);
    var root = element("div", "foldrank");
    var form = element("form");
    form.setAttribute("role", "search");
    var input = element("input");
    input.type = "search";
    input.name = "q";
    input.placeholder = options.placeholder || "Search";
    input.setAttribute("aria-label", "Search");
    input.autocomplete = "off";
    var status = element("div", "foldrank-status");
    status.setAttribute("aria-live", "polite");
    var list = element("ol", "foldrank-results");
    form.appendChild(input);
    root.appendChild(form);
    root.appendChild(status);
    root.appendChild(list);
    target.appendChild(root);

    var latest = 0;
    var timer = null;

    function reportClick(page, result) {
      var payload = JSON.stringify({
        query_id: page.query_id,
        doc_id: result.id,
        position: result.position,
        event_id: randomId()
      });
      var url = server + "/click";
      // sendBeacon survives the navigation that follows; text/plain needs no preflight.
      if (!(navigator.sendBeacon && navigator.sendBeacon(url, payload))) {
        fetch(url, {method: "POST", body: payload, keepalive: true, mode: "cors",
                    headers: {"Content-Type": "text/plain"}}).catch(function () {});
      }
    }

    function render(page) {
      list.textContent = "";
      status.textContent = page.total === 0 ? "No results." :
          page.total + " results";
      page.results.forEach(function (result) {
        var item = element("li", "foldrank-result");
        var link = element("a", "foldrank-title", result.title || result.id);
        var href = safeHref(result.url);
        if (href) link.href = href;
        link.setAttribute("data-position", result.position);
        link.setAttribute("data-doc-id", result.id);
        link.addEventListener("click", function () { reportClick(page, result); });
        var url = element("div", "foldrank-url", result.url || "");
        var snippet = element("div", "foldrank-snippet");
        (result.snippet_parts || [{text: result.snippet || "", mark: false}]).forEach(function (part) {
          snippet.appendChild(part.mark ? element("mark", "", part.text) :
                                          document.createTextNode(part.text));
        });
        item.appendChild(link);
        item.appendChild(url);
        item.appendChild(snippet);
        list.appendChild(item);
      });
      root.setAttribute("data-query-id", page.query_id);
    }

    function search() {
      var q = input.value.trim();
      if (!q) {
        list.textContent = "";
        status.textContent = "";
        return;
      }
      var mine = ++latest;
      var params = "q=" + encodeURIComponent(q) + "&k=" + k;
      if (options.user) params += "&user=" + encodeURIComponent(options.user);
      fetch(server + "/search?" + params, {mode: "cors"})
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error(body.message || response.statusText);
            return body;
          });
        })
        .then(function (page) { if (mine === latest) render(page); })
        .catch(function (error) {
          if (mine === latest) status.textContent = "Search failed: " + error.message;
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      search();
    });
    return {search: function (q) { input.value = q; search(); }, element: root};
  }

  window.FoldrankWidget = {mount: mount};
  if (script && script.getAttribute("data-target")) {
    var start = function () {
      var target = document.querySelector(script.getAttribute("data-target"));
      if (target) mount(target, {k: Number(script.getAttribute("data-k")) || 10});
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }
})();
