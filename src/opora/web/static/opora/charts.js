/*
 * Опора: draws every <script type="application/json" class="vega-spec"> with Vega-Embed.
 *
 * The spec comes from opora.web.charts (Vega-Lite JSON with inline data and the Russian locale).
 * The chart is drawn into the element named by the script's data-target attribute, or into a
 * <div class="vega-chart"> inserted just before the script. Runs on page load and again on every
 * htmx:load, so charts in swapped-in fragments are drawn too.
 *
 * Content-Security-Policy: the site allows only script-src 'self' and style-src 'self'. So
 *  - ast: true makes Vega interpret expressions (vega-interpreter, bundled in vega-embed 7)
 *    instead of compiling them with new Function(), which needs 'unsafe-eval';
 *  - defaultStyle: false and the tooltip's disableDefaultStyle stop Vega-Embed and vega-tooltip
 *    from inserting <style> elements (blocked without 'unsafe-inline'); the same rules live in
 *    the static file charts.css.
 */
(function () {
  "use strict";

  var EMBED_OPTIONS = {
    ast: true,
    actions: false,
    renderer: "svg",
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true, theme: "light" },
  };

  function targetFor(script) {
    var id = script.getAttribute("data-target");
    if (id) {
      return document.getElementById(id);
    }
    var holder = document.createElement("div");
    holder.className = "vega-chart";
    script.parentNode.insertBefore(holder, script);
    return holder;
  }

  function showError(target, message) {
    var note = document.createElement("p");
    note.className = "vega-chart-error";
    note.textContent = "Не удалось построить диаграмму: " + message;
    target.appendChild(note);
  }

  function draw(script) {
    if (script.getAttribute("data-drawn") === "1") {
      return;
    }
    script.setAttribute("data-drawn", "1");
    var target = targetFor(script);
    if (!target) {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(script.textContent);
    } catch (error) {
      showError(target, "описание диаграммы повреждено");
      return;
    }
    window.vegaEmbed(target, spec, EMBED_OPTIONS).catch(function (error) {
      showError(target, String(error && error.message ? error.message : error));
    });
  }

  var SELECTOR = 'script[type="application/json"].vega-spec';

  function drawWithin(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches(SELECTOR)) {
      draw(scope);  // htmx:load names each top-level element of a fragment, the script itself too
      return;
    }
    Array.prototype.forEach.call(scope.querySelectorAll(SELECTOR), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawWithin(document); });
  } else {
    drawWithin(document);
  }
  document.addEventListener("htmx:load", function (event) { drawWithin(event.detail.elt); });
})();
