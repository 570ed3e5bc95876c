// heimnetz: optional niceties. Every page works without this script.
(function () {
  "use strict";
  // Ask before destructive actions on forms marked data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
  // Reload live pages while visible, unless the user is busy with a form.
  var secs = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
  if (secs > 0) {
    window.setInterval(function () {
      var a = document.activeElement;
      var busy = a && (a.tagName === "INPUT" || a.tagName === "SELECT" || a.tagName === "TEXTAREA");
      if (document.visibilityState === "visible" && !busy) window.location.replace(window.location.pathname);
    }, secs * 1000);
  }
})();
