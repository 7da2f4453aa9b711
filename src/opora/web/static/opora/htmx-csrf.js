/*
 * Опора: adds Django's CSRF token to every htmx request that changes data.
 *
 * htmx 2 sends no CSRF header by itself (ARCHITECTURE.md, «Known pitfalls»). The token is read
 * from <meta name="csrf-token" content="{{ csrf_token }}"> in the page's <head> (the session
 * cookie is HttpOnly; CSRF_COOKIE_HTTPONLY is False, so the csrftoken cookie is a fallback).
 * A separate file, not an inline script: the site's Content-Security-Policy is script-src 'self'.
 *
 * Load it right after htmx.min.js (both in <head>, not async). It also switches off two htmx
 * defaults the strict CSP would block: the <style> element htmx inserts for .htmx-indicator
 * (style-src 'self'; the same rules are in htmx-indicators.css) and eval of hx-on/hx-vars/event
 * filters (no 'unsafe-eval'; htmx then reports a clear error instead of a CSP violation).
 * htmx reads its config when the DOM is ready, after this file has run.
 */
(function () {
  "use strict";

  var SAFE_METHODS = ["get", "head", "options", "trace"];

  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false;
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      return meta.content;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var verb = String(event.detail.verb || "get").toLowerCase();
    if (SAFE_METHODS.indexOf(verb) !== -1) {
      return;
    }
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });
})();
